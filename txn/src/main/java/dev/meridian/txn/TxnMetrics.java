package dev.meridian.txn;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

/** The coordinator's counters and timings ({@code meridian.txn.*}), shared by a client's transactions. */
final class TxnMetrics {

    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

    final LongCounter begun;
    final LongCounter restarts;
    final LongCounter refreshes;
    final LongCounter refreshFailures;
    final LongCounter heartbeats;
    private final LongCounter ended;
    private final DoubleHistogram duration;
    private final DoubleHistogram batchLatency;

    TxnMetrics(OpenTelemetry otel) {
        Meter m = otel.getMeter("dev.meridian.txn");
        begun = m.counterBuilder("meridian.txn.begun").setDescription("transactions begun").build();
        restarts = m.counterBuilder("meridian.txn.restarts").setDescription("transaction epochs restarted after a retry error").build();
        refreshes = m.counterBuilder("meridian.txn.refreshes").setDescription("read-span refreshes attempted").build();
        refreshFailures = m.counterBuilder("meridian.txn.refresh_failures").setDescription("refreshes that found a write and forced a restart").build();
        heartbeats = m.counterBuilder("meridian.txn.heartbeats").setDescription("transaction record heartbeats sent").build();
        ended = m.counterBuilder("meridian.txn.ended").setDescription("transactions finished, by outcome").build();
        duration = m.histogramBuilder("meridian.txn.duration").setUnit("ms").setDescription("transaction duration, begin to end").build();
        batchLatency = m.histogramBuilder("meridian.txn.batch.latency").setUnit("ms")
                .setDescription("latency of a transaction's batches through the coordinator").build();
    }

    void ended(String outcome, long nanos) {
        Attributes a = Attributes.of(OUTCOME, outcome);
        ended.add(1, a);
        duration.record(nanos / 1e6, a);
    }

    void batch(long nanos) {
        batchLatency.record(nanos / 1e6);
    }
}
