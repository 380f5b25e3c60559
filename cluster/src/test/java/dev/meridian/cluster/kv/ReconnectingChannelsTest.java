package dev.meridian.cluster.kv;

import dev.meridian.proto.kv.NodeGrpc;
import dev.meridian.proto.kv.NodesRequest;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconnectingChannelsTest {

    /** A loopback port that accepts connections and closes them at once: every connect fails. */
    private static final class Refuser implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger connects = new AtomicInteger();

        Refuser() throws IOException {
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        connects.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        String address() {
            return "127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static ManagedChannel open(String a) {
        return NettyChannelBuilder.forTarget(a).usePlaintext().build();
    }

    private static void awaitState(ManagedChannel ch, ConnectivityState state) throws InterruptedException {
        for (int i = 0; i < 500 && ch.getState(false) != state; i++) {
            Thread.sleep(10);
        }
        assertThat(ch.getState(false)).isEqualTo(state);
    }

    /**
     * Calls until the channel has made {@code n} connection attempts or {@code calls} calls are
     * made; before each call the fake clock moves on by {@code step} nanoseconds.
     */
    private static int callUntil(ReconnectingChannels channels, Refuser peer, int n, int calls, AtomicLong now, long step)
            throws InterruptedException {
        for (int i = 0; i < calls && peer.connects.get() < n; i++) {
            now.addAndGet(step);
            assertThatThrownBy(() -> NodeGrpc.newBlockingStub(channels.get(peer.address()))
                    .withDeadlineAfter(2, TimeUnit.SECONDS).nodes(NodesRequest.getDefaultInstance()))
                    .isInstanceOf(StatusRuntimeException.class);
            Thread.sleep(20);
        }
        return peer.connects.get();
    }

    @Test
    void aChannelInBackOffReconnectsWhenAskedForAfterTheInterval() throws Exception {
        AtomicLong now = new AtomicLong();
        try (Refuser peer = new Refuser();
             ReconnectingChannels channels = new ReconnectingChannels(ReconnectingChannelsTest::open, Duration.ofSeconds(1), now::get)) {
            assertThat(callUntil(channels, peer, 1, 50, now, 0)).isEqualTo(1);
            awaitState(channels.get(peer.address()), ConnectivityState.TRANSIENT_FAILURE);
            // gRPC's first back-off is about a second of real time; 40 calls over 0.8 s stay
            // within it, and the fake clock has not moved: no new attempt.
            int before = peer.connects.get();
            for (int i = 0; i < 40; i++) {
                channels.get(peer.address());
                Thread.sleep(20);
            }
            assertThat(peer.connects.get()).isLessThanOrEqualTo(before + 1);
            // With the interval passed at each call, a call to a channel in back-off brings a new
            // connection attempt at once, whatever gRPC's back-off timer says (a second, then
            // 1.6 s, 2.6 s, 4 s...: some four attempts in the five seconds this may take).
            for (int round = 0; round < 5; round++) {
                int attempts = peer.connects.get();
                awaitState(channels.get(peer.address()), ConnectivityState.TRANSIENT_FAILURE);
                assertThat(callUntil(channels, peer, attempts + 1, 50, now, Duration.ofSeconds(1).toNanos()))
                        .as("round " + round).isGreaterThan(attempts);
            }
            assertThat(peer.connects.get()).isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void theSameChannelServesEveryCallToAnAddressUntilClosed() throws Exception {
        try (Refuser a = new Refuser(); Refuser b = new Refuser()) {
            ReconnectingChannels channels = new ReconnectingChannels(ReconnectingChannelsTest::open, Duration.ofSeconds(1), System::nanoTime);
            ManagedChannel first = channels.get(a.address());
            assertThat(channels.get(a.address())).isSameAs(first);
            assertThat(channels.get(b.address())).isNotSameAs(first);
            channels.close(Duration.ofSeconds(5));
            assertThat(first.isShutdown()).isTrue();
            assertThatThrownBy(() -> channels.get(a.address())).isInstanceOf(IllegalStateException.class);
        }
    }
}
