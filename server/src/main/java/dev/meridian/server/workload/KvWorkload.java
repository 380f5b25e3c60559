package dev.meridian.server.workload;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.kv.KvException;
import dev.meridian.cluster.kv.KvOperations;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.GetRequest;
import dev.meridian.proto.kv.PutRequest;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.server.workload.KeyDistribution.KeyChooser;
import dev.meridian.server.workload.KvSummary.InitSummary;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;

/**
 * The engine of {@code meridian workload kv}: {@code concurrency} closed-loop workers, each with
 * one operation in flight, issue gets (with probability {@code readPercent}) and puts of random
 * values over keys {@code user/kv/<n>} for the ramp plus the measured duration; every second the
 * reporter prints one line per operation type, and at the end a summary.
 *
 * <p>Failures never stop a run: each is counted by kind (its ErrorKind, or the exception class
 * for a timeout and other non-KV failures) and the worker goes on. An operation that has not
 * completed after {@link #OP_TIMEOUT} (real time) is abandoned and counted as a
 * {@code TimeoutException}, so a stuck client cannot hang the run.
 *
 * <p>Each run owns its threads and is used once; {@link #run()} blocks until the run ends.
 */
public final class KvWorkload {

    /** How often a line per operation type is printed. */
    static final Duration REPORT_INTERVAL = Duration.ofSeconds(1);
    /** The longest a worker waits for one operation before counting it as failed. */
    static final Duration OP_TIMEOUT = Duration.ofSeconds(30);
    /** Above the system key space, which ends below 0x10. */
    static final String KEY_PREFIX = "user/kv/";
    /** Key numbers are padded to this many digits so that keys sort numerically. */
    static final int KEY_DIGITS = 10;
    /** Init draws its values from a stream of its own, so --init does not change the run's draws. */
    private static final long INIT_SEED_SALT = 0x5EED_1417L;

    private final KvWorkloadConfig config;
    private final KvOperations kv;
    private final PrintWriter out;
    private final WorkloadClock clock;
    private final AtomicReference<Throwable> workerCrash = new AtomicReference<>();

    /**
     * @param config what to run
     * @param kv     the cluster; it may be called from {@code concurrency} threads at once
     * @param out    where the report lines go
     * @param clock  time for latencies, the ramp, the report and the end of the run
     */
    public KvWorkload(KvWorkloadConfig config, KvOperations kv, PrintWriter out, WorkloadClock clock) {
        this.config = config;
        this.kv = kv;
        this.out = out;
        this.clock = clock;
    }

    /** The key of key number {@code n}: the UTF-8 bytes of {@code user/kv/} and n zero-padded. */
    public static byte[] key(long n) {
        return (KEY_PREFIX + String.format(Locale.ROOT, "%0" + KEY_DIGITS + "d", n)).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Runs the workload: {@code --init} if asked, the ramp, the measured period, and prints the
     * summary.
     *
     * @throws InterruptedException if the calling thread is interrupted; the workers are stopped
     */
    public KvSummary run() throws InterruptedException {
        out.printf(Locale.ROOT, "workload kv: %d workers, %s (ramp %s), %d%% reads, %d keys (%s), %d-byte values,"
                        + " batch %d, seed %d%n", config.concurrency(), DurationArg.format(config.duration()),
                DurationArg.format(config.ramp()),
                config.readPercent(), config.keys(), config.distribution().cliName(), config.valueBytes(),
                config.batch(), config.seed());
        Optional<InitSummary> init = config.init() ? Optional.of(initialize()) : Optional.empty();
        return measure(init);
    }

    private InitSummary initialize() throws InterruptedException {
        AtomicLong next = new AtomicLong();
        LongAdder failed = new LongAdder();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        SplittableRandom seeds = new SplittableRandom(config.seed() ^ INIT_SEED_SALT);
        long start = clock.nanoTime();
        runAll(i -> {
            SplittableRandom random = seeds.split();
            return () -> {
                for (long n = next.getAndIncrement(); n < config.keys(); n = next.getAndIncrement()) {
                    byte[] key = key(n);
                    Throwable failure = attempt(() -> kv.put(key, value(random)));
                    if (failure != null) {
                        failed.increment();
                        firstFailure.compareAndSet(null, KvStats.describe(failure));
                    }
                }
            };
        });
        Duration took = Duration.ofNanos(clock.nanoTime() - start);
        InitSummary summary = new InitSummary(config.keys() - failed.sum(), failed.sum(), took);
        out.printf(Locale.ROOT, "init: wrote %d of %d keys in %.1fs%s%n", summary.written(), config.keys(),
                took.toNanos() / 1e9, summary.failed() == 0 ? ""
                        : " (" + summary.failed() + " failed; first: " + firstFailure.get() + ")");
        out.flush();
        return summary;
    }

    private KvSummary measure(Optional<InitSummary> init) throws InterruptedException {
        KvStats stats = new KvStats();
        Reporter reporter = new Reporter(stats, out);
        KeyChooser chooser = config.distribution().chooser(config.keys());
        SplittableRandom seeds = new SplittableRandom(config.seed());
        long start = clock.nanoTime();
        long rampNanos = config.ramp().toNanos();
        long measureFrom = start + rampNanos;
        long endAt = measureFrom + config.duration().toNanos();
        if (rampNanos > 0) {
            out.printf(Locale.ROOT, "ramp: %s, not measured%n", DurationArg.format(config.ramp()));
        }
        List<Thread> workers = start(i -> {
            SplittableRandom random = seeds.split();
            // Workers start one after another over the ramp, so load grows rather than jumps.
            long startAt = start + (long) ((double) rampNanos * i / config.concurrency());
            return () -> work(stats, random, chooser, startAt, measureFrom, endAt);
        });
        boolean finished = false;
        try {
            clock.sleepUntil(measureFrom);
            reporter.header();
            long interval = REPORT_INTERVAL.toNanos();
            for (long tickAt = measureFrom; tickAt - endAt < 0; ) {
                long next = Math.min(tickAt + interval, endAt);
                clock.sleepUntil(next);
                reporter.interval(next - measureFrom, next - tickAt);
                tickAt = next;
            }
            finished = true;
        } finally {
            // Workers stop by themselves at endAt; interrupting is only for an early exit.
            stopAndJoin(workers, !finished);
        }
        reporter.drain();
        KvSummary summary = reporter.summarize(config, config.duration(), init);
        reporter.print(summary);
        return summary;
    }

    private void work(KvStats stats, RandomGenerator random, KeyChooser chooser, long startAt, long measureFrom,
                      long endAt) throws InterruptedException {
        clock.sleepUntil(startAt);
        while (!Thread.currentThread().isInterrupted()) {
            OpType type = random.nextInt(100) < config.readPercent() ? OpType.READ : OpType.WRITE;
            // Keys and values are drawn before the clock starts: a latency is the cluster's alone.
            OperationSender sender = prepare(type, random, chooser);
            long t0 = clock.nanoTime();
            if (t0 - endAt >= 0) {
                return;
            }
            Throwable failure = attempt(sender);
            long latency = clock.nanoTime() - t0;
            if (t0 - measureFrom < 0) {
                continue; // the ramp
            }
            if (failure == null) {
                stats.recordSuccess(type, latency);
            } else {
                stats.recordFailure(type, failure);
            }
        }
    }

    private OperationSender prepare(OpType type, RandomGenerator random, KeyChooser chooser) {
        if (config.batch() == 1) {
            byte[] key = key(chooser.next(random));
            if (type == OpType.READ) {
                return () -> kv.get(key);
            }
            byte[] value = value(random);
            return () -> kv.put(key, value);
        }
        BatchRequest.Builder batch = BatchRequest.newBuilder();
        for (int i = 0; i < config.batch(); i++) {
            ByteString key = ByteString.copyFrom(key(chooser.next(random)));
            batch.addRequests(type == OpType.READ
                    ? RequestUnion.newBuilder().setGet(GetRequest.newBuilder().setKey(key))
                    : RequestUnion.newBuilder().setPut(
                            PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFrom(value(random)))));
        }
        BatchRequest request = batch.build();
        return () -> kv.batch(request);
    }

    private byte[] value(RandomGenerator random) {
        byte[] value = new byte[config.valueBytes()];
        random.nextBytes(value);
        return value;
    }

    /** Sends one operation and waits for it: null if it succeeded, else why it failed. */
    private static Throwable attempt(OperationSender sender) {
        CompletableFuture<?> future = null;
        try {
            future = sender.send();
            Object result = future.get(OP_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            if (result instanceof BatchResponse response && response.hasError()) {
                return new KvException(response.getError());
            }
            return null;
        } catch (ExecutionException e) {
            return KvStats.unwrap(e);
        } catch (TimeoutException e) {
            future.cancel(true);
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        } catch (RuntimeException e) {
            // A client that throws instead of failing its future: counted all the same.
            return KvStats.unwrap(e);
        }
    }

    @FunctionalInterface
    private interface OperationSender {
        CompletableFuture<?> send();
    }

    /** A worker's body. */
    @FunctionalInterface
    private interface WorkerBody {
        void run() throws InterruptedException;
    }

    private void runAll(IntFunction<WorkerBody> bodies) throws InterruptedException {
        List<Thread> threads = start(bodies);
        try {
            stopAndJoin(threads, false);
        } catch (InterruptedException e) {
            stopAndJoin(threads, true);
            throw e;
        }
    }

    private List<Thread> start(IntFunction<WorkerBody> bodies) {
        List<Thread> threads = new ArrayList<>(config.concurrency());
        for (int i = 0; i < config.concurrency(); i++) {
            WorkerBody body = bodies.apply(i);
            threads.add(Thread.ofPlatform().name("kv-workload-" + i).daemon(true).start(() -> {
                try {
                    body.run();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    workerCrash.compareAndSet(null, e);
                }
            }));
        }
        return threads;
    }

    private void stopAndJoin(List<Thread> threads, boolean interrupt) throws InterruptedException {
        if (interrupt) {
            threads.forEach(Thread::interrupt);
        }
        for (Thread t : threads) {
            t.join();
        }
        Throwable crash = workerCrash.get();
        if (crash != null) {
            throw new IllegalStateException("a workload worker crashed: " + crash, crash);
        }
    }
}
