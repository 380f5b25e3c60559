package dev.meridian.txn;

import dev.meridian.cluster.kv.KvOperations;
import dev.meridian.cluster.time.HybridClock;
import dev.meridian.storage.mvcc.Timestamp;
import io.opentelemetry.api.OpenTelemetry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The KV transaction API of one gateway: begins transactions over its DistSender and runs work in
 * them with retries ({@link #run}). Thread-safe; each {@link Txn} is used by one thread at a time.
 *
 * <pre>{@code
 * long total = client.run(TxnOptions.defaults(), txn -> {
 *     long a = decode(txn.get(A).orElseThrow());
 *     long b = decode(txn.get(B).orElseThrow());
 *     txn.put(A, encode(a - 10));
 *     txn.put(B, encode(b + 10));
 *     return a + b;
 * });
 * }</pre>
 */
public final class TxnClient implements AutoCloseable {

    /** Work to run in a transaction; it may run several times, so it must not have other effects. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Txn txn);
    }

    /**
     * @param heartbeatInterval how often a writing transaction heartbeats its record (records of
     *                          silent coordinators may be aborted after a few seconds)
     * @param timeout           how long one batch may take before its outcome counts as unknown
     * @param linearizable      commit-wait: a commit is acknowledged only once every clock in the
     *                          cluster has passed its timestamp (strict serializability)
     */
    public record Config(Duration heartbeatInterval, Duration timeout, boolean linearizable) {
        public Config {
            Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
            Objects.requireNonNull(timeout, "timeout");
            if (heartbeatInterval.isZero() || heartbeatInterval.isNegative() || timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("heartbeat interval and timeout must be positive");
            }
        }

        /** Heartbeats every second, 30 s per batch, no commit-wait. */
        public static Config defaults() {
            return new Config(Duration.ofSeconds(1), Duration.ofSeconds(30), false);
        }

        public Config withLinearizable(boolean on) {
            return new Config(heartbeatInterval, timeout, on);
        }
    }

    private final KvOperations kv;
    private final HybridClock clock;
    private final Config config;
    private final TxnMetrics metrics;
    private final ScheduledExecutorService timer;

    public TxnClient(KvOperations kv, HybridClock clock, Config config, OpenTelemetry otel) {
        this.kv = Objects.requireNonNull(kv, "kv");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = new TxnMetrics(otel);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meridian-txn-heartbeat");
            t.setDaemon(true);
            return t;
        });
    }

    /** Begins a transaction; the caller must commit or roll it back (or close it). */
    public Txn begin(TxnOptions options) {
        return new Txn(this, options);
    }

    /**
     * Runs {@code work} in a transaction and commits it, running it again after every
     * {@link TxnRetryException} (in a new epoch, or a new transaction when the old one was
     * aborted) up to {@code options.maxRetries()} times. Any other exception rolls back and
     * propagates.
     *
     * @throws TxnRetryException     when the retries are used up
     * @throws TxnAmbiguousException when the commit's outcome is unknown (never retried)
     */
    public <T> T run(TxnOptions options, Work<T> work) {
        Txn txn = begin(options);
        for (int attempt = 0; ; attempt++) {
            try {
                T result = work.run(txn);
                txn.commit();
                return result;
            } catch (TxnRetryException e) {
                if (attempt >= options.maxRetries()) {
                    txn.rollback();
                    throw e;
                }
                if (e.needsNewTransaction()) {
                    txn.rollback();
                    txn = begin(options);
                } else {
                    txn.restart();
                }
                pause(attempt);
            } catch (TxnAmbiguousException e) {
                throw e;
            } catch (RuntimeException | Error e) {
                txn.rollback();
                throw e;
            }
        }
    }

    /** A short random pause before a retry, growing with the attempts, so that rivals do not collide again. */
    private static void pause(int attempt) {
        long maxMicros = Math.min(50_000, 500L << Math.min(attempt, 7));
        try {
            TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextLong(maxMicros / 2, maxMicros + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TxnException(dev.meridian.proto.kv.ErrorKind.UNAVAILABLE, "interrupted", e);
        }
    }

    /** With {@link Config#linearizable()}: waits until no clock in the cluster can be below {@code commitTs}. */
    void commitWait(Timestamp commitTs) {
        if (!config.linearizable()) {
            return;
        }
        long until = commitTs.wallNanos() + clock.maxOffset().toNanos();
        try {
            while (true) {
                long left = until - clock.physicalNanos();
                if (left < 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.sleep(left + 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TxnAmbiguousException("interrupted during commit-wait (the transaction committed at " + commitTs + ")", e);
        }
    }

    KvOperations kv() {
        return kv;
    }

    HybridClock clock() {
        return clock;
    }

    TxnMetrics metrics() {
        return metrics;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    Duration heartbeatInterval() {
        return config.heartbeatInterval();
    }

    Duration timeout() {
        return config.timeout();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
