package dev.meridian.cluster.node;

import dev.meridian.cluster.time.ClockOffsets;
import dev.meridian.cluster.time.PhysicalClock;
import dev.meridian.proto.kv.NodeDescriptor;
import dev.meridian.proto.kv.NodeGrpc;
import dev.meridian.proto.kv.PingRequest;
import dev.meridian.proto.kv.PingResponse;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Measures this node's clock offset to every peer with a ping each round (see
 * {@link ClockOffsets}) and reports a verdict of "unhealthy" once: the node then stops rather
 * than serve reads whose uncertainty interval its clock no longer honours.
 *
 * <p>Metrics: {@code meridian.clock.offset} (gauge, ms, per peer: the latest offset, the
 * peer's clock minus ours), {@code meridian.clock.ping.rtt} (histogram, ms) and
 * {@code meridian.clock.pings} (counter, by outcome). Thread-safe: rounds run on the node's
 * scheduler, answers on gRPC threads; the offsets are guarded by this object.
 */
final class ClockMonitor {

    private static final AttributeKey<Long> PEER = AttributeKey.longKey("peer");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

    private final LongSupplier selfId;
    private final NodeDirectory directory;
    private final NodeChannels channels;
    private final PhysicalClock clock;
    private final Duration timeout;
    private final Consumer<ClockOffsets.Verdict> onUnhealthy;
    private final ClockOffsets offsets;
    private final DoubleHistogram rtt;
    private final LongCounter pings;
    private boolean reported;

    /**
     * @param offsets     where measurements go (its max-offset sets the tolerance)
     * @param timeout     deadline of one ping
     * @param onUnhealthy called once, from a gRPC thread, when the verdict turns unhealthy
     */
    ClockMonitor(LongSupplier selfId, NodeDirectory directory, NodeChannels channels, PhysicalClock clock,
                 ClockOffsets offsets, Duration timeout, Consumer<ClockOffsets.Verdict> onUnhealthy, OpenTelemetry otel) {
        this.selfId = selfId;
        this.directory = directory;
        this.channels = channels;
        this.clock = clock;
        this.offsets = offsets;
        this.timeout = timeout;
        this.onUnhealthy = onUnhealthy;
        Meter m = otel.getMeter("dev.meridian.cluster.node");
        this.rtt = m.histogramBuilder("meridian.clock.ping.rtt").setUnit("ms")
                .setDescription("Round trips of clock offset pings").build();
        this.pings = m.counterBuilder("meridian.clock.pings")
                .setDescription("Clock offset pings, by outcome (ok, failed)").build();
        m.gaugeBuilder("meridian.clock.offset").setUnit("ms")
                .setDescription("Latest measured clock offset to each peer (the peer's clock minus this node's)")
                .buildWithCallback(g -> {
                    for (Map.Entry<Long, ClockOffsets.Measurement> e : snapshot().entrySet()) {
                        g.record(e.getValue().offsetNanos() / 1e6, Attributes.of(PEER, e.getKey()));
                    }
                });
    }

    private synchronized Map<Long, ClockOffsets.Measurement> snapshot() {
        Map<Long, ClockOffsets.Measurement> out = new TreeMap<>();
        for (long id : directory.ids()) {
            offsets.of(id).ifPresent(m -> out.put(id, m));
        }
        return out;
    }

    /** Pings every other node in the directory; each answer is recorded and judged as it comes. */
    void round() {
        long self = selfId.getAsLong();
        for (NodeDescriptor peer : directory.all()) {
            if (peer.getNodeId() == self || peer.getAddress().isEmpty()) {
                continue;
            }
            ping(self, peer);
        }
    }

    private void ping(long self, NodeDescriptor peer) {
        long sent = clock.nowNanos();
        NodeGrpc.newStub(channels.get(peer.getAddress())).withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .ping(PingRequest.newBuilder().setSenderNodeId(self).build(), new StreamObserver<>() {
                    @Override
                    public void onNext(PingResponse r) {
                        long received = clock.nowNanos();
                        if (r.getNodeId() != peer.getNodeId() || received < sent) {
                            // Another node now answers at that address, or our clock stepped back.
                            pings.add(1, Attributes.of(OUTCOME, "discarded"));
                            return;
                        }
                        pings.add(1, Attributes.of(OUTCOME, "ok"));
                        rtt.record((received - sent) / 1e6);
                        recorded(peer.getNodeId(), ClockOffsets.measure(sent, r.getPhysicalNanos(), received), received);
                    }

                    @Override
                    public void onError(Throwable t) {
                        pings.add(1, Attributes.of(OUTCOME, "failed"));
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    private void recorded(long peer, ClockOffsets.Measurement m, long nowNanos) {
        ClockOffsets.Verdict v;
        synchronized (this) {
            offsets.record(peer, m);
            long self = selfId.getAsLong();
            v = offsets.verdict(nowNanos, directory.ids().stream().filter(id -> id != self).toList());
            if (v.healthy() || reported) {
                return;
            }
            reported = true;
        }
        onUnhealthy.accept(v);
    }

    /** The latest measurement of {@code peer} (for status pages and tests). */
    synchronized Optional<ClockOffsets.Measurement> offsetTo(long peer) {
        return offsets.of(peer);
    }
}
