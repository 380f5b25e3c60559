package dev.meridian.cluster.replica.latch;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads doing latched reads and writes over a few keys, with invariants that break
 * without mutual exclusion. Keys come in pairs (2j, 2j+1) that every write increments together,
 * non-atomically and with a yield in between; so a read that sees a pair differ saw a half-done
 * write, and a final count below the number of increments made is a lost update.
 */
class SpanLatchStressTest {

    private static final int PAIRS = 4;
    private static final int KEYS = 2 * PAIRS;
    private static final Duration LONG = Duration.ofSeconds(60);

    private final SpanLatchManager latches = new SpanLatchManager();
    // Plain fields on purpose: the latches alone must order every access.
    private final int[] counters = new int[KEYS];
    private final AtomicIntegerArray increments = new AtomicIntegerArray(KEYS);
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicReference<String> violation = new AtomicReference<>();

    private static byte[] key(int i) {
        return new byte[] {(byte) 'k', (byte) i};
    }

    @Test
    void latchedWritesNeitherLoseUpdatesNorShowHalfDoneWrites() throws Exception {
        int threads = 6;
        int opsPerThread = 3_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < threads; t++) {
            long seed = 1_000 + t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    Random r = new Random(seed);
                    for (int i = 0; i < opsPerThread; i++) {
                        step(r);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(violation.get()).isNull();
        assertThat(reads.get()).isPositive();
        for (int i = 0; i < KEYS; i++) {
            assertThat(counters[i]).as("key %d", i).isEqualTo(increments.get(i));
        }
        assertThat(latches.activeRequests()).isZero();
    }

    private void step(Random r) throws Exception {
        int pair = r.nextInt(PAIRS);
        switch (r.nextInt(5)) {
            case 0 -> writePair(pair, List.of(LatchSpan.writePoint(key(2 * pair)), LatchSpan.writePoint(key(2 * pair + 1))));
            case 1 -> writeRange(r.nextInt(PAIRS), r.nextInt(PAIRS));
            case 2 -> readPair(pair, List.of(LatchSpan.readPoint(key(2 * pair)), LatchSpan.readPoint(key(2 * pair + 1))));
            case 3 -> readPair(pair, List.of(LatchSpan.readRange(key(2 * pair), key(2 * pair + 2))));
            default -> readAll();
        }
    }

    private void writePair(int pair, List<LatchSpan> spans) throws Exception {
        try (LatchGuard g = latches.acquire(spans, LONG)) {
            incrementPair(pair);
        }
    }

    /** Writes every pair in [from, to] under one range latch. */
    private void writeRange(int a, int b) throws Exception {
        int from = Math.min(a, b);
        int to = Math.max(a, b);
        try (LatchGuard g = latches.acquire(List.of(LatchSpan.writeRange(key(2 * from), key(2 * to + 2))), LONG)) {
            for (int p = from; p <= to; p++) {
                incrementPair(p);
            }
        }
    }

    private void incrementPair(int pair) {
        int first = counters[2 * pair];
        Thread.yield();
        counters[2 * pair] = first + 1;
        Thread.yield();
        counters[2 * pair + 1] = counters[2 * pair + 1] + 1;
        increments.incrementAndGet(2 * pair);
        increments.incrementAndGet(2 * pair + 1);
    }

    private void readPair(int pair, List<LatchSpan> spans) throws Exception {
        try (LatchGuard g = latches.acquire(spans, LONG)) {
            checkPair(pair);
        }
    }

    private void readAll() throws Exception {
        try (LatchGuard g = latches.acquire(List.of(LatchSpan.readRange(key(0), key(KEYS))), LONG)) {
            for (int p = 0; p < PAIRS; p++) {
                checkPair(p);
            }
        }
    }

    private void checkPair(int pair) {
        int a = counters[2 * pair];
        Thread.yield();
        int b = counters[2 * pair + 1];
        reads.incrementAndGet();
        if (a != b) {
            violation.compareAndSet(null, "pair " + pair + " read as " + a + "/" + b);
        }
    }
}
