package dev.meridian.server;

import dev.meridian.cluster.node.Node;
import dev.meridian.cluster.node.NodeConfig;
import dev.meridian.cluster.raft.driver.DriverConfig;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code meridian init}, {@code debug split} and {@code workload kv} against a real node on
 * loopback (started in this JVM; the multi-process test starts them through bin/meridian).
 */
class NodeCommandsTest {

    @Test
    void initOnceThenSplitAndRunTheKvWorkload(@TempDir Path dir) throws Exception {
        NodeConfig cfg = NodeConfig.of(dir.resolve("n1"), new InetSocketAddress("127.0.0.1", 0), List.of())
                .withDriver(DriverConfig.defaults().withTickInterval(Duration.ofMillis(20)))
                .withCacheBytes(8 << 20);
        try (Node node = Node.start(cfg, OpenTelemetry.noop())) {
            String host = node.advertiseAddress();
            CommandLineTest.Run init = CommandLineTest.run("init", "--host", host);
            assertThat(init.exitCode()).as(init.err()).isZero();
            assertThat(init.out()).contains("initialized; node 1");

            CommandLineTest.Run again = CommandLineTest.run("init", "--host", host);
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.err()).contains("already been initialized");

            CommandLineTest.Run split = CommandLineTest.run("debug", "split", "--host", host, "--key", "user/kv/0000000050");
            assertThat(split.exitCode()).as(split.err()).isZero();
            assertThat(split.out()).contains("split r1 at user/kv/0000000050");

            CommandLineTest.Run badSplit = CommandLineTest.run("debug", "split", "--host", host, "--key", "\\x01");
            assertThat(badSplit.exitCode()).isEqualTo(1);
            assertThat(badSplit.err()).contains("cannot split at");

            CommandLineTest.Run kv = CommandLineTest.run("workload", "kv", "--host", host, "--duration", "2s",
                    "--concurrency", "4", "--keys", "100", "--read-percent", "50", "--seed", "1");
            assertThat(kv.exitCode()).as(kv.err() + kv.out()).isZero();
            assertThat(kv.out()).contains("read").contains("write");
            assertThat(node.ranges()).hasSize(2);
            assertThat(node.ranges()).allMatch(r -> r.getKeyCount() > 0);
        }
    }

    /**
     * While no node answers, init keeps trying to connect every quarter second: gRPC's own
     * exponential back-off would try about three times in these three seconds, and after a
     * minute of waiting only once a minute, so a node that comes up late would be missed.
     */
    @Test
    void initKeepsTryingToConnectWhileTheNodeIsNotServing() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        try (ServerSocket refusing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!refusing.isClosed()) {
                    try (Socket s = refusing.accept()) {
                        attempts.incrementAndGet(); // closed at once: no HTTP/2, a failed connection
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", refusing.getLocalPort()).usePlaintext().build();
            try {
                assertThatThrownBy(() -> InitCommand.awaitInit(ch, TimeUnit.SECONDS.toNanos(3)))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
            } finally {
                ch.shutdownNow();
            }
        }
        assertThat(attempts.get()).as("connection attempts in 3 s").isGreaterThanOrEqualTo(6);
    }
}
