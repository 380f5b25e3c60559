package dev.meridian.server.workload;

import dev.meridian.cluster.kv.KvException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the workers of one run record: a latency recorder per operation type (HdrHistogram's
 * {@link Recorder}, which hands out the values recorded since the last call without stopping
 * the writers), failure counts per type and per kind. Recording is thread-safe and lock-free;
 * {@link #takeInterval} belongs to one reporting thread.
 */
final class KvStats {

    /** Three significant digits: 0.1% resolution at every magnitude. */
    private static final int SIGNIFICANT_DIGITS = 3;

    // Filled in the constructor and never changed: reads from worker threads need no lock.
    private final Map<OpType, Recorder> recorders = new EnumMap<>(OpType.class);
    private final Map<OpType, LongAdder> errors = new EnumMap<>(OpType.class);
    private final ConcurrentSkipListMap<String, LongAdder> errorsByKind = new ConcurrentSkipListMap<>();

    KvStats() {
        for (OpType type : OpType.values()) {
            recorders.put(type, new Recorder(SIGNIFICANT_DIGITS));
            errors.put(type, new LongAdder());
        }
    }

    void recordSuccess(OpType type, long latencyNanos) {
        recorders.get(type).recordValue(Math.max(latencyNanos, 0));
    }

    void recordFailure(OpType type, Throwable failure) {
        errors.get(type).increment();
        errorsByKind.computeIfAbsent(kindOf(failure), k -> new LongAdder()).increment();
    }

    /** The latencies (ns) recorded for {@code type} since the previous call. */
    Histogram takeInterval(OpType type) {
        return recorders.get(type).getIntervalHistogram();
    }

    /** Failures of {@code type} so far. */
    long errors(OpType type) {
        return errors.get(type).sum();
    }

    /** Failures so far by kind, sorted by kind. */
    SortedMap<String, Long> errorsByKind() {
        SortedMap<String, Long> copy = new TreeMap<>();
        errorsByKind.forEach((kind, count) -> copy.put(kind, count.sum()));
        return Collections.unmodifiableSortedMap(copy);
    }

    /** The ErrorKind name of a KV error, else the simple class name of the (unwrapped) failure. */
    static String kindOf(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof KvException kv ? kv.kind().name() : t.getClass().getSimpleName();
    }

    /** One line for a person: a KV error's own message (it starts with its kind), else class and message. */
    static String describe(Throwable failure) {
        Throwable t = unwrap(failure);
        return t instanceof KvException ? t.getMessage() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** The cause a future's wrapper exceptions hide. */
    static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
