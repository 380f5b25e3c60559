package dev.meridian.cluster.raft.grpc;

import dev.meridian.cluster.raft.GroupMessage;
import dev.meridian.cluster.raft.RaftMessageBatch;
import dev.meridian.cluster.raft.RaftTransport;
import dev.meridian.raft.Entry;
import dev.meridian.raft.Message;
import dev.meridian.raft.MessageType;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Transports on 127.0.0.1 with a shared, mutable address book and metrics read back in tests. */
final class TransportFixture implements AutoCloseable {

    static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Map<Long, InetSocketAddress> book = new ConcurrentHashMap<>();
    private final List<Node> nodes = new ArrayList<>();

    /** One transport with what its receiver saw and its metrics. */
    static final class Node implements RaftTransport.Receiver {
        final long id;
        final GrpcRaftTransport transport;
        final InMemoryMetricReader metrics;
        final List<RaftMessageBatch> received = new CopyOnWriteArrayList<>();
        final List<Long> unreachable = new CopyOnWriteArrayList<>();
        volatile Consumer<RaftMessageBatch> onReceive = b -> { };
        private final SdkMeterProvider meterProvider;

        Node(long id, GrpcRaftTransport transport, InMemoryMetricReader metrics, SdkMeterProvider meterProvider) {
            this.id = id;
            this.transport = transport;
            this.metrics = metrics;
            this.meterProvider = meterProvider;
        }

        @Override
        public void receive(RaftMessageBatch batch) {
            onReceive.accept(batch);
            received.add(batch);
        }

        @Override
        public void unreachable(long nodeId) {
            unreachable.add(nodeId);
        }

        InetSocketAddress address() {
            return transport.localAddress();
        }

        /** The sum of a counter's points, of one drop reason if given. */
        long counter(String name, DropReason reason) {
            long sum = 0;
            for (MetricData m : metrics.collectAllMetrics()) {
                if (!m.getName().equals(TransportMetrics.PREFIX + name)) {
                    continue;
                }
                for (LongPointData p : m.getLongSumData().getPoints()) {
                    if (reason == null || reason.label().equals(p.getAttributes().get(TransportMetrics.REASON))) {
                        sum += p.getValue();
                    }
                }
            }
            return sum;
        }

        long counter(String name) {
            return counter(name, null);
        }

        long dropped(DropReason reason) {
            return counter("batches.dropped", reason);
        }

        long gauge(String name) {
            long value = 0;
            for (MetricData m : metrics.collectAllMetrics()) {
                if (m.getName().equals(TransportMetrics.PREFIX + name)) {
                    for (LongPointData p : m.getLongGaugeData().getPoints()) {
                        value = p.getValue();
                    }
                }
            }
            return value;
        }
    }

    NodeAddressBook book() {
        return nodeId -> Optional.ofNullable(book.get(nodeId));
    }

    void publish(long nodeId, InetSocketAddress address) {
        book.put(nodeId, address);
    }

    Node start(long id) throws IOException {
        return start(id, new InetSocketAddress("127.0.0.1", 0), c -> c);
    }

    Node start(long id, InetSocketAddress listen, UnaryOperator<GrpcRaftTransportConfig> tune) throws IOException {
        Node node = create(id, listen, tune);
        node.transport.start(id, node);
        return node;
    }

    /** A transport listening (and published in the book) but not started. */
    Node create(long id, InetSocketAddress listen, UnaryOperator<GrpcRaftTransportConfig> tune) throws IOException {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        SdkMeterProvider meterProvider = SdkMeterProvider.builder().registerMetricReader(reader).build();
        GrpcRaftTransportConfig config = tune.apply(GrpcRaftTransportConfig.defaults(listen)
                .withReconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(200)));
        GrpcRaftTransport transport = GrpcRaftTransport.create(config, book(),
                OpenTelemetrySdk.builder().setMeterProvider(meterProvider).build());
        Node node = new Node(id, transport, reader, meterProvider);
        publish(id, transport.localAddress());
        nodes.add(node);
        return node;
    }

    /** A batch of one APP message whose group id numbers it, with {@code payloadBytes} of entry data. */
    static RaftMessageBatch numbered(long from, long to, long seq, int payloadBytes) {
        byte[] data = new byte[payloadBytes];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (seq * 31 + i);
        }
        Message m = Message.builder(MessageType.APP).from(from).to(to).term(1).index(seq)
                .entries(payloadBytes == 0 ? List.of() : List.of(Entry.normal(1, seq + 1, data))).build();
        return new RaftMessageBatch(from, to, List.of(new GroupMessage(seq, m)));
    }

    static List<Long> sequence(List<RaftMessageBatch> batches, long fromNode) {
        List<Long> seqs = new ArrayList<>();
        for (RaftMessageBatch b : batches) {
            if (b.fromNode() == fromNode) {
                for (GroupMessage gm : b.messages()) {
                    seqs.add(gm.groupId());
                }
            }
        }
        return seqs;
    }

    /** Waits for {@code condition}; fails with {@code what} after {@link #PATIENCE}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.transport.close();
            n.meterProvider.close();
        }
    }
}
