package dev.meridian.cluster.kv;

import dev.meridian.proto.kv.ErrorKind;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The deadline and retry count of one batch, shared by all its parts (so parallel parts back off
 * together), and the transaction as its parts' replies leave it. Thread-safe.
 */
final class RetryContext {

    private final DistSenderConfig config;
    private final RandomGenerator random;
    private final LongSupplier nanoClock;
    private final long deadlineNanos;
    private final AtomicInteger retries = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicReference<dev.meridian.proto.kv.Transaction> txn =
            new java.util.concurrent.atomic.AtomicReference<>();

    RetryContext(DistSenderConfig config, RandomGenerator random, LongSupplier nanoClock) {
        this.config = config;
        this.random = random;
        this.nanoClock = nanoClock;
        this.deadlineNanos = nanoClock.getAsLong() + config.deadline().toNanos();
    }

    /** Merges the transaction a part's reply carried into what the batch will report. */
    void replied(dev.meridian.proto.kv.Transaction t) {
        if (t != null && t.hasMeta()) {
            txn.accumulateAndGet(t, TxnProtos::merge);
        }
    }

    /** The merged transaction of every reply so far, or null (a non-transactional batch). */
    dev.meridian.proto.kv.Transaction txn() {
        return txn.get();
    }

    long remainingNanos() {
        return Math.max(0, deadlineNanos - nanoClock.getAsLong());
    }

    boolean expired() {
        return remainingNanos() == 0;
    }

    int retries() {
        return retries.get();
    }

    /** The failure of a part that certainly wrote nothing when the deadline passed. */
    KvException deadlineExceeded(String what) {
        return KvException.of(ErrorKind.UNAVAILABLE, what + ": deadline of " + config.deadline() + " exceeded after "
                + retries.get() + " retries");
    }

    /**
     * Completes after the next backoff wait: {@code backoffInitial * multiplier^retries}, capped
     * at {@code backoffMax}, scaled by a random factor in [0.5, 1) so that clients that failed
     * together do not retry together. Fails with UNAVAILABLE if the wait would pass the
     * deadline (callers only back off when their part wrote nothing).
     */
    CompletableFuture<Void> backoff(String what) {
        int n = retries.getAndIncrement();
        double base = config.backoffInitial().toNanos() * Math.pow(config.backoffMultiplier(), Math.min(n, 64));
        double capped = Math.min(base, config.backoffMax().toNanos());
        double factor;
        synchronized (random) {
            factor = 0.5 + 0.5 * random.nextDouble();
        }
        long delay = (long) (capped * factor);
        if (delay >= remainingNanos()) {
            return CompletableFuture.failedFuture(deadlineExceeded(what));
        }
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS));
    }
}
