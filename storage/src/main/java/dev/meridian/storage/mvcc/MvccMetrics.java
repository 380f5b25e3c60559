package dev.meridian.storage.mvcc;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

/**
 * Counts MVCC work by outcome. The operations of {@link Mvcc} are stateless functions, so the
 * caller that evaluates them (the replica's command evaluator) records each result here. Only
 * counting: MVCC never reads a clock, so timing belongs to the caller at its I/O edge.
 *
 * <p>Instruments: {@code meridian.mvcc.reads} and {@code meridian.mvcc.writes} (attributes
 * {@code op} and {@code status}), {@code meridian.mvcc.scan.rows}, {@code meridian.mvcc.intents.resolved}
 * (attribute {@code outcome}), {@code meridian.mvcc.gc.versions}.
 */
public final class MvccMetrics {
    private static final AttributeKey<String> OP = AttributeKey.stringKey("op");
    private static final AttributeKey<String> STATUS = AttributeKey.stringKey("status");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

    private final LongCounter reads;
    private final LongCounter writes;
    private final LongCounter scanRows;
    private final LongCounter resolved;
    private final LongCounter gcVersions;

    public MvccMetrics(Meter meter) {
        reads = meter.counterBuilder("meridian.mvcc.reads").setDescription("MVCC point reads and scans by outcome").build();
        writes = meter.counterBuilder("meridian.mvcc.writes").setDescription("MVCC writes by operation and outcome").build();
        scanRows = meter.counterBuilder("meridian.mvcc.scan.rows").setDescription("rows returned by MVCC scans").build();
        resolved = meter.counterBuilder("meridian.mvcc.intents.resolved").setDescription("intent resolutions by outcome").build();
        gcVersions = meter.counterBuilder("meridian.mvcc.gc.versions").setDescription("versions removed by MVCC GC").build();
    }

    /** Metrics that record nothing. */
    public static MvccMetrics noop() {
        return new MvccMetrics(OpenTelemetry.noop().getMeter("dev.meridian.storage.mvcc"));
    }

    public void recordGet(GetResult r) {
        reads.add(1, Attributes.of(OP, "get", STATUS, r.status().name()));
    }

    public void recordScan(ScanResult r) {
        reads.add(1, Attributes.of(OP, "scan", STATUS, r.status().name()));
        scanRows.add(r.rows().size());
    }

    /** {@code op} names the write: put, delete, delete_range, cput, increment. */
    public void recordWrite(String op, WriteResult r) {
        writes.add(1, Attributes.of(OP, op, STATUS, r.status().name()));
    }

    public void recordResolve(ResolveOutcome outcome) {
        resolved.add(1, Attributes.of(OUTCOME, outcome.name()));
    }

    public void recordResolveRange(ResolveRangeResult r) {
        resolved.add(r.resolved(), Attributes.of(OUTCOME, "RANGE"));
    }

    public void recordGc(GcResult r) {
        gcVersions.add(r.versionsRemoved());
    }
}
