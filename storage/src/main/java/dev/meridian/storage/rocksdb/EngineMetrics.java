package dev.meridian.storage.rocksdb;

import dev.meridian.storage.Durability;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

/** The engine's counters and timers; latency is measured here, at the I/O edge. */
final class EngineMetrics {
    static final AttributeKey<String> DURABILITY = AttributeKey.stringKey("durability");

    private final LongCounter batchWrites;
    private final LongCounter batchBytes;
    private final LongCounter batchOps;
    private final DoubleHistogram batchLatency;
    private final LongCounter gets;
    private final LongCounter iterators;
    private final LongCounter snapshots;
    private final Attributes synced = Attributes.of(DURABILITY, "synced");
    private final Attributes unsynced = Attributes.of(DURABILITY, "unsynced");

    EngineMetrics(OpenTelemetry otel) {
        Meter meter = otel.getMeter("dev.meridian.storage");
        batchWrites = meter.counterBuilder("meridian.storage.engine.batch.writes")
                .setDescription("Write batches applied to the engine").setUnit("{batch}").build();
        batchBytes = meter.counterBuilder("meridian.storage.engine.batch.bytes")
                .setDescription("Key and value bytes in applied write batches").setUnit("By").build();
        batchOps = meter.counterBuilder("meridian.storage.engine.batch.ops")
                .setDescription("Operations in applied write batches").setUnit("{op}").build();
        batchLatency = meter.histogramBuilder("meridian.storage.engine.batch.latency")
                .setDescription("Time to apply a write batch, fsync included when synced").setUnit("s").build();
        gets = meter.counterBuilder("meridian.storage.engine.gets")
                .setDescription("Point reads").setUnit("{get}").build();
        iterators = meter.counterBuilder("meridian.storage.engine.iterators")
                .setDescription("Iterators opened").setUnit("{iterator}").build();
        snapshots = meter.counterBuilder("meridian.storage.engine.snapshots")
                .setDescription("Snapshots taken").setUnit("{snapshot}").build();
    }

    void batchWritten(Durability durability, int ops, long bytes, long nanos) {
        Attributes a = durability == Durability.SYNCED ? synced : unsynced;
        batchWrites.add(1, a);
        batchOps.add(ops, a);
        batchBytes.add(bytes, a);
        batchLatency.record(nanos / 1e9, a);
    }

    void get() {
        gets.add(1);
    }

    void iteratorOpened() {
        iterators.add(1);
    }

    void snapshotTaken() {
        snapshots.add(1);
    }
}
