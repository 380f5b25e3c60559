package dev.meridian.server;

import dev.meridian.cluster.node.Node;
import dev.meridian.cluster.node.NodeConfig;
import dev.meridian.cluster.node.NodeDirectory;
import dev.meridian.server.cli.Units;
import dev.meridian.server.http.StatusServer;
import dev.meridian.server.http.StatusSource;
import dev.meridian.server.metrics.MeridianTelemetry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code meridian start}: runs one node until SIGTERM (or SIGINT), then drains it: its leases
 * move to other nodes, requests in flight finish, and it exits.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = {
                "Start a node, which joins a cluster or waits for `meridian init`.",
                "",
                "A node with an empty store waits until it joins a cluster through --join, or",
                "until `meridian init` bootstraps a new cluster on it. SIGTERM drains the node",
                "(leases move away, requests finish) and stops it with exit code 0."
        },
        footer = {"", "Examples:",
                "  meridian start --store n1 --listen-addr 127.0.0.1:26257 \\",
                "                 --http-addr 127.0.0.1:8080",
                "  meridian start --store n2 --listen-addr 127.0.0.1:26258 \\",
                "                 --http-addr 127.0.0.1:8081 --join 127.0.0.1:26257 \\",
                "                 --locality region=us-east1,zone=a"})
final class StartCommand implements Callable<Integer> {

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "The node's store directory (created if missing).")
    Path store;

    @Option(names = "--listen-addr", defaultValue = "127.0.0.1:26257", paramLabel = "HOST:PORT",
            description = "Address for Raft, KV and node RPCs (default: ${DEFAULT-VALUE}).")
    String listenAddr;

    @Option(names = "--advertise-addr", paramLabel = "HOST:PORT",
            description = "Address other nodes use to reach this one (default: --listen-addr).")
    String advertiseAddr;

    @Option(names = "--http-addr", defaultValue = "127.0.0.1:8080", paramLabel = "HOST:PORT",
            description = "Address of /health, /metrics and /_status/ranges (default: ${DEFAULT-VALUE}).")
    String httpAddr;

    @Option(names = "--join", paramLabel = "HOST:PORT[,HOST:PORT...]", description = "Nodes of the cluster to join.")
    String join;

    @Option(names = "--locality", paramLabel = "KEY=VALUE[,...]", description = "Locality tiers, outermost first, e.g. region=us-east1,zone=a.")
    String locality;

    @Option(names = "--max-offset", defaultValue = "250ms", paramLabel = "DURATION",
            description = "Maximum clock difference between nodes; must be the same on every node (default: ${DEFAULT-VALUE}).")
    String maxOffset;

    @Option(names = "--cache-size", defaultValue = "256MiB", paramLabel = "SIZE",
            description = "RocksDB block cache (default: ${DEFAULT-VALUE}).")
    String cacheSize;

    @Option(names = "--drain-timeout", defaultValue = "20s", paramLabel = "DURATION",
            description = "How long a drain waits for leases to move (default: ${DEFAULT-VALUE}).")
    String drainTimeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        InetSocketAddress listen = NodeDirectory.parse(listenAddr);
        InetSocketAddress http = NodeDirectory.parse(httpAddr);
        Duration drain = Units.duration(drainTimeout);
        NodeConfig cfg = NodeConfig.of(store, listen, Units.addresses(join))
                .withAdvertiseAddress(advertiseAddr == null ? listenAddr : advertiseAddr)
                .withHttpAddress(httpAddr)
                .withLocality(Units.locality(locality))
                .withCacheBytes(Units.bytes(cacheSize));
        cfg = cfg.withStore(cfg.store().withMaxOffset(Units.duration(maxOffset)));
        MeridianTelemetry telemetry = MeridianTelemetry.create();
        Node node;
        try {
            node = Node.start(cfg, telemetry.sdk());
        } catch (RuntimeException e) {
            telemetry.close();
            throw e;
        }
        StatusServer status;
        try {
            status = StatusServer.start(http, new NodeStatus(node), telemetry.reader(),
                    telemetry.sdk().getMeter("dev.meridian.server.http"));
        } catch (java.io.IOException e) {
            node.close();
            telemetry.close();
            throw new IllegalStateException("cannot serve HTTP on " + httpAddr + ": " + e.getMessage(), e);
        }
        // The main thread's exit code, published (with the latch) once it has cleaned up.
        AtomicInteger exitCode = new AtomicInteger();
        CountDownLatch cleanedUp = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            if (node.state() != Node.State.STOPPED) {
                out.println("draining node " + node.nodeId() + " ...");
                out.flush();
                long left = node.drain(drain);
                out.println(left == 0 ? "drained; stopping" : "drain timed out with " + left + " leases; stopping");
                out.flush();
                node.close();
            }
            // A JVM stopped by a signal exits with 128+signal (143 for SIGTERM) whatever this
            // process returns; but a drained stop is a clean one, and supervisors read 143 as a
            // crash. Once the main thread has closed the status server and flushed, halt with
            // the code it chose (0, or 1 if the node had failed).
            try {
                if (cleanedUp.await(10, TimeUnit.SECONDS)) {
                    Runtime.getRuntime().halt(exitCode.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "meridian-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.printf("node listening on %s (RPC), http://%s:%d (status); store %s%n", node.advertiseAddress(),
                status.address().getHostString(), status.address().getPort(), store);
        if (node.state() == Node.State.WAITING) {
            out.println(cfg.join().isEmpty() ? "waiting for `meridian init --host " + node.advertiseAddress() + "`"
                    : "joining through " + String.join(",", cfg.join()) + " (or waiting for `meridian init`)");
        }
        out.flush();
        announceWhenRunning(node, out);
        node.awaitStopped();
        status.close();
        telemetry.close();
        Throwable failure = node.failure();
        if (failure != null) {
            spec.commandLine().getErr().println("error: node stopped: " + failure.getMessage());
            spec.commandLine().getErr().flush();
            exitCode.set(1);
        }
        out.flush();
        cleanedUp.countDown();
        return exitCode.get();
    }

    private static void announceWhenRunning(Node node, PrintWriter out) {
        Thread t = new Thread(() -> {
            while (node.state() == Node.State.WAITING) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
            if (node.state() == Node.State.RUNNING) {
                out.printf("node %d of cluster %s is running%n", node.nodeId(), node.clusterId().orElse("?"));
                out.flush();
            }
        }, "meridian-announce");
        t.setDaemon(true);
        t.start();
    }

    /** What /health and /_status/ranges report for the node. */
    private record NodeStatus(Node node) implements StatusSource {
        @Override
        public Health health() {
            String cluster = node.clusterId().orElse("");
            return switch (node.state()) {
                case RUNNING -> Health.ok(node.nodeId(), cluster);
                case WAITING -> Health.unavailable("waiting to join a cluster or for `meridian init`", 0, cluster);
                case DRAINING -> Health.unavailable("draining", node.nodeId(), cluster);
                case STOPPED -> Health.unavailable("stopped", node.nodeId(), cluster);
            };
        }

        @Override
        public java.util.List<dev.meridian.proto.kv.RangeInfo> ranges() {
            return node.ranges();
        }
    }
}
