package dev.meridian.server.workload;

import dev.meridian.server.workload.KvSummary.InitSummary;
import dev.meridian.server.workload.KvSummary.OpSummary;
import org.HdrHistogram.Histogram;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a run's {@link KvStats} into text: every interval one line per operation type with the
 * figures of that interval alone, then a summary over the whole measured period. Keeps the
 * cumulative histograms. Used by one reporting thread.
 *
 * <p>Interval line columns: elapsed seconds since the measured period began, operation type,
 * successful operations per second in the interval, p50/p95/p99/max latency in milliseconds in
 * the interval, and failures of that type since the measured period began.
 */
final class Reporter {

    static final String HEADER_FORMAT = "%8s %-5s %10s %9s %9s %9s %9s %8s%n";
    static final String LINE_FORMAT = "%7.1fs %-5s %10.1f %9.2f %9.2f %9.2f %9.2f %8d%n";
    static final String SUMMARY_HEADER_FORMAT = "%-5s %10s %10s %9s %9s %9s %9s %8s%n";
    static final String SUMMARY_FORMAT = "%-5s %10d %10.1f %9.2f %9.2f %9.2f %9.2f %8d%n";

    private static final double NANOS_PER_MS = 1e6;
    private static final double NANOS_PER_SECOND = 1e9;

    private final KvStats stats;
    private final PrintWriter out;
    private final Map<OpType, Histogram> cumulative = new EnumMap<>(OpType.class);

    Reporter(KvStats stats, PrintWriter out) {
        this.stats = stats;
        this.out = out;
        for (OpType type : OpType.values()) {
            cumulative.put(type, new Histogram(3));
        }
    }

    void header() {
        out.printf(Locale.ROOT, HEADER_FORMAT, "elapsed", "op", "ops/s", "p50(ms)", "p95(ms)", "p99(ms)", "max(ms)",
                "errors");
        out.flush();
    }

    /** Prints the interval that ended {@code elapsedNanos} into the measured period and lasted {@code widthNanos}. */
    void interval(long elapsedNanos, long widthNanos) {
        for (OpType type : OpType.values()) {
            Histogram h = take(type);
            out.printf(Locale.ROOT, LINE_FORMAT, elapsedNanos / NANOS_PER_SECOND, type.label(),
                    h.getTotalCount() / (widthNanos / NANOS_PER_SECOND),
                    ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)), ms(h.getValueAtPercentile(99)),
                    ms(h.getMaxValue()), stats.errors(type));
        }
        out.flush();
    }

    /** Folds what was recorded since the last interval (operations in flight at the end) in, unprinted. */
    void drain() {
        for (OpType type : OpType.values()) {
            take(type);
        }
    }

    private Histogram take(OpType type) {
        Histogram h = stats.takeInterval(type);
        cumulative.get(type).add(h);
        return h;
    }

    KvSummary summarize(KvWorkloadConfig config, Duration measured, Optional<InitSummary> init) {
        Histogram all = new Histogram(3);
        for (Histogram h : cumulative.values()) {
            all.add(h);
        }
        long allErrors = stats.errors(OpType.READ) + stats.errors(OpType.WRITE);
        return new KvSummary(config, measured,
                op(OpType.READ.label(), cumulative.get(OpType.READ), stats.errors(OpType.READ), measured),
                op(OpType.WRITE.label(), cumulative.get(OpType.WRITE), stats.errors(OpType.WRITE), measured),
                op("total", all, allErrors, measured),
                stats.errorsByKind(), init);
    }

    private static OpSummary op(String name, Histogram h, long errors, Duration measured) {
        return new OpSummary(name, h.getTotalCount(), errors, h.getTotalCount() / (measured.toNanos() / NANOS_PER_SECOND),
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)), ms(h.getValueAtPercentile(99)),
                ms(h.getMaxValue()));
    }

    void print(KvSummary s) {
        KvWorkloadConfig c = s.config();
        out.println();
        out.printf(Locale.ROOT, "_summary: %.1fs measured, %d workers, %d%% reads, %d keys (%s), %d-byte values, batch %d%n",
                s.measured().toNanos() / NANOS_PER_SECOND, c.concurrency(), c.readPercent(), c.keys(),
                c.distribution().cliName(), c.valueBytes(), c.batch());
        out.printf(Locale.ROOT, SUMMARY_HEADER_FORMAT,
                "op", "ops", "ops/s", "p50(ms)", "p95(ms)", "p99(ms)", "max(ms)", "errors");
        for (OpSummary op : new OpSummary[] {s.read(), s.write(), s.total()}) {
            out.printf(Locale.ROOT, SUMMARY_FORMAT, op.op(), op.count(), op.opsPerSecond(), op.p50Ms(), op.p95Ms(),
                    op.p99Ms(), op.maxMs(), op.errors());
        }
        if (s.errorsByKind().isEmpty()) {
            out.println("errors by kind: none");
        } else {
            out.println("errors by kind:");
            s.errorsByKind().forEach((kind, count) -> out.printf(Locale.ROOT, "  %-24s %d%n", kind, count));
        }
        out.flush();
    }

    private static double ms(long nanos) {
        return nanos / NANOS_PER_MS;
    }
}
