package dev.meridian.cluster.node;

import dev.meridian.cluster.kv.KvOperations;
import dev.meridian.cluster.raft.driver.DriverConfig;
import dev.meridian.cluster.replica.StoreConfig;
import dev.meridian.proto.kv.InitRequest;
import dev.meridian.proto.kv.NodeGrpc;
import dev.meridian.proto.kv.RangeInfo;
import dev.meridian.proto.kv.ReplicaType;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.api.OpenTelemetry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Several real nodes in this JVM, each with its own RocksDB store and gRPC server on
 * 127.0.0.1, with timings shortened for tests (20 ms Raft ticks, 1.5 s leases).
 */
final class LocalCluster implements AutoCloseable {

    private final Path root;
    private final UnaryOperator<NodeConfig> tweak;
    private final List<Node> nodes = new ArrayList<>();
    private final List<NodeConfig> configs = new ArrayList<>();

    LocalCluster(Path root, UnaryOperator<NodeConfig> tweak) {
        this.root = root;
        this.tweak = tweak;
    }

    /** A cluster whose nodes all consult {@code faults} (shared, so a test can cut and heal links). */
    LocalCluster(Path root, NetworkFaults faults, UnaryOperator<NodeConfig> tweak) {
        this(root, cfg -> tweak.apply(cfg).withFaults(faults));
    }

    static NodeConfig testConfig(Path dir, List<String> join) {
        return NodeConfig.of(dir, new InetSocketAddress("127.0.0.1", 0), join)
                .withDriver(DriverConfig.defaults().withTickInterval(Duration.ofMillis(20)).withElection(10, 1))
                .withStore(StoreConfig.defaults().withMaxOffset(Duration.ofMillis(50))
                        .withLeaseDuration(Duration.ofMillis(1500)))
                .withCacheBytes(8 << 20);
    }

    /** Starts node 1, initializes the cluster on it, then starts {@code n - 1} nodes that join it. */
    LocalCluster start(int n) throws IOException {
        Node first = startNode(0, List.of());
        init(first.advertiseAddress());
        for (int i = 1; i < n; i++) {
            startNode(i, List.of(first.advertiseAddress()));
        }
        await(Duration.ofSeconds(30), () -> nodes.stream().allMatch(x -> x.state() == Node.State.RUNNING),
                "every node running");
        return this;
    }

    private Node startNode(int index, List<String> join) throws IOException {
        NodeConfig cfg = tweak.apply(testConfig(root.resolve("n" + index), join));
        Node node = Node.start(cfg, OpenTelemetry.noop());
        if (index < nodes.size()) {
            nodes.set(index, node);
            configs.set(index, cfg);
        } else {
            nodes.add(node);
            configs.add(cfg);
        }
        return node;
    }

    static void init(String address) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(address).usePlaintext().build();
        try {
            NodeGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS).init(InitRequest.getDefaultInstance());
        } finally {
            ch.shutdownNow();
        }
    }

    Node node(int i) {
        return nodes.get(i);
    }

    int size() {
        return nodes.size();
    }

    KvOperations kv(int i) {
        return nodes.get(i).kv().orElseThrow();
    }

    /** Stops node {@code i} abruptly (no drain). */
    void stop(int i) {
        nodes.get(i).close();
    }

    /** Starts node {@code i} again on its store, at a new port. */
    Node restart(int i) throws IOException {
        NodeConfig old = configs.get(i);
        List<String> join = new ArrayList<>();
        for (int j = 0; j < nodes.size(); j++) {
            if (j != i && nodes.get(j).state() != Node.State.STOPPED) {
                join.add(nodes.get(j).advertiseAddress());
            }
        }
        NodeConfig cfg = tweak.apply(testConfig(old.storeDir(), join));
        Node node = Node.start(cfg, OpenTelemetry.noop());
        nodes.set(i, node);
        configs.set(i, cfg);
        return node;
    }

    /** Waits until range {@code rangeId} has {@code voters} voters, as seen by node {@code observer}. */
    void awaitVoters(int observer, long rangeId, int voters) {
        await(Duration.ofSeconds(60), () -> node(observer).ranges().stream()
                .filter(r -> r.getRangeDescriptor().getRangeId() == rangeId)
                .anyMatch(r -> r.getRangeDescriptor().getReplicasList().stream()
                        .filter(x -> x.getType() == ReplicaType.VOTER).count() == voters), "r" + rangeId + " with " + voters + " voters");
    }

    List<RangeInfo> ranges(int i) {
        return node(i).ranges();
    }

    /** Range {@code rangeId} as node {@code i} has it, if it has a replica. */
    java.util.Optional<RangeInfo> range(int i, long rangeId) {
        return ranges(i).stream().filter(r -> r.getRangeDescriptor().getRangeId() == rangeId).findFirst();
    }

    /** The index of the node with id {@code nodeId}. */
    int indexOf(long nodeId) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).nodeId() == nodeId) {
                return i;
            }
        }
        throw new AssertionError("no node n" + nodeId + describe());
    }

    /** The index of the node holding the lease of {@code rangeId}, as node {@code observer} sees it. */
    int leaseholderIndex(int observer, long rangeId) {
        return indexOf(range(observer, rangeId).orElseThrow().getLease().getReplica().getNodeId());
    }

    /** The ids of every node except the one at {@code index}. */
    java.util.Set<Long> otherNodeIds(int index) {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (i != index) {
                ids.add(nodes.get(i).nodeId());
            }
        }
        return ids;
    }

    /** Every node's view of its ranges, for failure messages. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            sb.append("\n node ").append(n.nodeId()).append(" (").append(n.state()).append(")");
            for (RangeInfo r : n.ranges()) {
                sb.append("\n   r").append(r.getRangeDescriptor().getRangeId()).append(" applied=").append(r.getAppliedIndex())
                        .append(" keys=").append(r.getKeyCount()).append(" lease=n").append(r.getLease().getReplica().getNodeId())
                        .append("#").append(r.getLease().getSequence()).append(" leader=n").append(r.getRaftLeaderNodeId())
                        .append(" replicas=").append(r.getRangeDescriptor().getReplicasList().stream()
                                .map(x -> "n" + x.getNodeId() + ":" + x.getType()).toList());
            }
        }
        return sb.toString();
    }

    static void await(Duration timeout, BooleanSupplier condition, String what) {
        await(timeout, condition, () -> what);
    }

    /** Waits for {@code condition}; on timeout fails with {@code what}, evaluated then (so it can show state). */
    static void await(Duration timeout, BooleanSupplier condition, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what.get());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.close();
        }
    }
}
