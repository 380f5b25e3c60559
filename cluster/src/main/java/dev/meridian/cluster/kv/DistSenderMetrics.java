package dev.meridian.cluster.kv;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

import java.util.EnumMap;

/** The DistSender's OpenTelemetry instruments; names start with {@value #PREFIX}. */
final class DistSenderMetrics {

    static final String PREFIX = "meridian.kv.dist.";
    static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

    /** Why a range's part was sent again. */
    enum RetryReason {
        RANGE_KEY_MISMATCH, NOT_LEASEHOLDER, RANGE_NOT_FOUND, NODE_UNAVAILABLE, TRANSPORT, UNAVAILABLE,
        DESCRIPTOR_LOOKUP;

        final String label = name().toLowerCase(java.util.Locale.ROOT);
    }

    private final LongCounter batches;
    private final LongCounter partialBatches;
    private final LongCounter rpcs;
    private final LongCounter retries;
    private final LongCounter cacheHits;
    private final LongCounter cacheMisses;
    private final DoubleHistogram latency;
    private final EnumMap<RetryReason, Attributes> reasons = new EnumMap<>(RetryReason.class);

    DistSenderMetrics(Meter meter) {
        batches = counter(meter, "batches", "Batches sent through the DistSender");
        partialBatches = counter(meter, "batches.partial", "Per-range parts of batches that spanned ranges");
        rpcs = counter(meter, "rpcs", "Batch RPCs sent to nodes, retries included");
        retries = counter(meter, "retries", "Parts sent again, by reason");
        cacheHits = counter(meter, "range_cache.hits", "Range lookups answered by the range cache");
        cacheMisses = counter(meter, "range_cache.misses", "Range lookups that read the meta range");
        latency = meter.histogramBuilder(PREFIX + "batch.duration").setUnit("s")
                .setDescription("Time from a batch's submission to its outcome, by outcome").build();
        for (RetryReason r : RetryReason.values()) {
            reasons.put(r, Attributes.of(REASON, r.label));
        }
    }

    private static LongCounter counter(Meter meter, String name, String description) {
        return meter.counterBuilder(PREFIX + name).setDescription(description).build();
    }

    void batch() {
        batches.add(1);
    }

    void partial(int parts) {
        partialBatches.add(parts);
    }

    void rpc() {
        rpcs.add(1);
    }

    void retry(RetryReason reason) {
        retries.add(1, reasons.get(reason));
    }

    void cache(boolean hit) {
        (hit ? cacheHits : cacheMisses).add(1);
    }

    void finished(long nanos, String outcome) {
        latency.record(nanos / 1e9, Attributes.of(OUTCOME, outcome));
    }
}
