package dev.meridian.server.workload;

import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The result of a {@code workload kv} run: counts and latencies of the measured period (the ramp
 * excluded) per operation type and overall, and the failures by kind.
 *
 * @param config       what was run
 * @param measured     the measured period
 * @param read         successful gets (or get batches)
 * @param write        successful puts (or put batches)
 * @param total        both together
 * @param errorsByKind failed operations per {@link dev.meridian.proto.kv.ErrorKind} name, or per
 *                     exception class name for failures that are not a KV error (a timeout, say);
 *                     sorted by name
 * @param init         what {@code --init} wrote, if it ran
 */
public record KvSummary(KvWorkloadConfig config, Duration measured, OpSummary read, OpSummary write, OpSummary total,
                        SortedMap<String, Long> errorsByKind, Optional<InitSummary> init) {

    public KvSummary {
        errorsByKind = Collections.unmodifiableSortedMap(new TreeMap<>(errorsByKind));
    }

    /** True when not one operation of the measured period succeeded: the run proved nothing. */
    public boolean noOperationSucceeded() {
        return total.count() == 0;
    }

    /**
     * One operation type's figures. Latencies are of successful operations only.
     *
     * @param op           "read", "write" or "total"
     * @param count        successful operations
     * @param errors       failed operations
     * @param opsPerSecond successful operations per second of the measured period
     * @param p50Ms        median latency in milliseconds (HdrHistogram, 3 significant digits)
     * @param p95Ms        95th percentile latency in milliseconds
     * @param p99Ms        99th percentile latency in milliseconds
     * @param maxMs        the slowest successful operation in milliseconds
     */
    public record OpSummary(String op, long count, long errors, double opsPerSecond,
                            double p50Ms, double p95Ms, double p99Ms, double maxMs) {
    }

    /** What {@code --init} did: keys written, keys whose write failed, and how long it took. */
    public record InitSummary(long written, long failed, Duration took) {
    }
}
