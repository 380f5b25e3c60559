package dev.meridian.cluster.raft.grpc;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongGauge;

import java.util.EnumMap;
import java.util.function.LongSupplier;

/** The transport's OpenTelemetry instruments; names start with {@value #PREFIX}. */
final class TransportMetrics implements AutoCloseable {

    static final String PREFIX = "meridian.raft.transport.";
    static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

    private final LongCounter batchesSent;
    private final LongCounter messagesSent;
    private final LongCounter bytesSent;
    private final LongCounter batchesReceived;
    private final LongCounter messagesReceived;
    private final LongCounter bytesReceived;
    private final LongCounter batchesDropped;
    private final LongCounter reconnects;
    private final EnumMap<DropReason, Attributes> reasonAttributes = new EnumMap<>(DropReason.class);
    private final ObservableLongGauge queuedBatches;
    private final ObservableLongGauge queuedBytes;

    TransportMetrics(Meter meter, LongSupplier queuedBatchCount, LongSupplier queuedByteCount) {
        batchesSent = counter(meter, "batches.sent", "Batches handed to a peer's stream");
        messagesSent = counter(meter, "messages.sent", "Raft messages handed to a peer's stream");
        bytesSent = counter(meter, "bytes.sent", "Encoded bytes handed to a peer's stream");
        batchesReceived = counter(meter, "batches.received", "Batches delivered to this node");
        messagesReceived = counter(meter, "messages.received", "Raft messages delivered to this node");
        bytesReceived = counter(meter, "bytes.received", "Encoded bytes of batches delivered to this node");
        batchesDropped = counter(meter, "batches.dropped", "Batches dropped, by reason");
        reconnects = counter(meter, "reconnects", "Streams opened to a destination after its first");
        for (DropReason r : DropReason.values()) {
            reasonAttributes.put(r, Attributes.of(REASON, r.label()));
        }
        queuedBatches = meter.gaugeBuilder(PREFIX + "queue.batches").ofLongs()
                .setDescription("Batches waiting in all destination queues")
                .buildWithCallback(m -> m.record(queuedBatchCount.getAsLong()));
        queuedBytes = meter.gaugeBuilder(PREFIX + "queue.bytes").ofLongs()
                .setDescription("Encoded bytes waiting in all destination queues")
                .buildWithCallback(m -> m.record(queuedByteCount.getAsLong()));
    }

    private static LongCounter counter(Meter meter, String name, String description) {
        return meter.counterBuilder(PREFIX + name).setDescription(description).build();
    }

    void sent(int messages, long bytes) {
        batchesSent.add(1);
        messagesSent.add(messages);
        bytesSent.add(bytes);
    }

    void received(int messages, long bytes) {
        batchesReceived.add(1);
        messagesReceived.add(messages);
        bytesReceived.add(bytes);
    }

    void dropped(DropReason reason, long batches) {
        if (batches > 0) {
            batchesDropped.add(batches, reasonAttributes.get(reason));
        }
    }

    void reconnected() {
        reconnects.add(1);
    }

    @Override
    public void close() {
        queuedBatches.close();
        queuedBytes.close();
    }
}
