package dev.meridian.benchmarks.txn;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.node.Node;
import dev.meridian.cluster.node.NodeConfig;
import dev.meridian.proto.kv.AdminSplitRequest;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.InitRequest;
import dev.meridian.proto.kv.NodeGrpc;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.txn.Txn;
import dev.meridian.txn.TxnClient;
import dev.meridian.txn.TxnOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.opentelemetry.api.OpenTelemetry;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Commit latency of one-range and two-range transactions on a three-node cluster in this JVM
 * (real RocksDB stores with fsync, gRPC on loopback, production timings), one transaction at a
 * time from node 1's gateway. Each transaction writes one key (one range) or two keys on two
 * ranges and commits; the two kinds alternate so that both see the same machine. Prints
 * p50/p90/p99 of the whole transaction and of the commit alone, and the ratio of the two-range
 * to the one-range p50.
 *
 * <pre>
 *   benchmarks/txn-commit [--seconds S] [--warmup S]
 * </pre>
 */
public final class TxnCommitBenchmark {

    private TxnCommitBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = 20;
        int warmup = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("usage: txn-commit [--seconds S (default 20)] [--warmup S (default 5)]");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + args[i] + " (see --help)");
                    System.exit(2);
                }
            }
        }
        Path root = Files.createTempDirectory("meridian-txn-bench");
        List<Node> nodes = new ArrayList<>();
        try {
            nodes.add(Node.start(NodeConfig.of(root.resolve("n1"), new InetSocketAddress("127.0.0.1", 0), List.of()),
                    OpenTelemetry.noop()));
            init(nodes.getFirst().advertiseAddress());
            for (int n = 2; n <= 3; n++) {
                nodes.add(Node.start(NodeConfig.of(root.resolve("n" + n), new InetSocketAddress("127.0.0.1", 0),
                        List.of(nodes.getFirst().advertiseAddress())), OpenTelemetry.noop()));
            }
            Node gw = nodes.getFirst();
            await(() -> gw.ranges().stream().anyMatch(r -> r.getRangeDescriptor().getReplicasCount() == 3), "3 replicas");
            BatchResponse split = gw.kv().orElseThrow().batch(BatchRequest.newBuilder().addRequests(RequestUnion.newBuilder()
                    .setAdminSplit(AdminSplitRequest.newBuilder().setSplitKey(ByteString.copyFromUtf8("bench/m")))).build())
                    .get(60, TimeUnit.SECONDS);
            if (split.hasError()) {
                throw new IllegalStateException("split failed: " + split.getError().getMessage());
            }
            try (TxnClient client = new TxnClient(gw.kv().orElseThrow(), gw.clock(), TxnClient.Config.defaults(),
                    OpenTelemetry.noop())) {
                run(client, warmup, null, null);
                Histogram[] one = {new Histogram(3), new Histogram(3)};
                Histogram[] two = {new Histogram(3), new Histogram(3)};
                long n = run(client, seconds, one, two);
                System.out.printf("%d transactions in %d s, one at a time, gateway n1%n", n, seconds);
                print("one range ", one);
                print("two ranges", two);
                System.out.printf("two-range / one-range p50: whole %.2fx, commit %.2fx%n",
                        (double) two[0].getValueAtPercentile(50) / one[0].getValueAtPercentile(50),
                        (double) two[1].getValueAtPercentile(50) / one[1].getValueAtPercentile(50));
            }
        } finally {
            for (Node node : nodes) {
                node.close();
            }
            try (var walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Alternates one- and two-range transactions for {@code seconds}; records [whole, commit] in microseconds. */
    private static long run(TxnClient client, int seconds, Histogram[] one, Histogram[] two) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long n = 0;
        while (System.nanoTime() < end) {
            boolean both = (n & 1) == 1;
            long start = System.nanoTime();
            Txn t = client.begin(TxnOptions.defaults());
            t.put(key("bench/a" + (n % 1000)), key("v" + n));
            if (both) {
                t.put(key("bench/z" + (n % 1000)), key("v" + n));
            }
            long commitStart = System.nanoTime();
            t.commit();
            long done = System.nanoTime();
            Histogram[] h = both ? two : one;
            if (h != null) {
                h[0].recordValue((done - start) / 1000);
                h[1].recordValue((done - commitStart) / 1000);
            }
            n++;
        }
        return n;
    }

    private static void print(String what, Histogram[] h) {
        System.out.printf("%s  whole: p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms   commit: p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms%n",
                what, h[0].getValueAtPercentile(50) / 1000.0, h[0].getValueAtPercentile(90) / 1000.0,
                h[0].getValueAtPercentile(99) / 1000.0, h[1].getValueAtPercentile(50) / 1000.0,
                h[1].getValueAtPercentile(90) / 1000.0, h[1].getValueAtPercentile(99) / 1000.0);
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void init(String address) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(address).usePlaintext().build();
        try {
            NodeGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS).init(InitRequest.getDefaultInstance());
        } finally {
            ch.shutdownNow();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
