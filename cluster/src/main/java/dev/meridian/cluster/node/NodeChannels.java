package dev.meridian.cluster.node;

import dev.meridian.cluster.kv.ReconnectingChannels;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.time.Duration;

/**
 * One plaintext gRPC channel per peer address, opened on first use; a peer that comes back is
 * reconnected to within about a second of the next call to it. Thread-safe.
 */
final class NodeChannels implements AutoCloseable {

    static final Duration RECONNECT_INTERVAL = Duration.ofSeconds(1);

    private final ReconnectingChannels channels = new ReconnectingChannels(
            a -> NettyChannelBuilder.forAddress(NodeDirectory.parse(a)).usePlaintext().maxInboundMessageSize(64 << 20).build(),
            RECONNECT_INTERVAL, System::nanoTime);

    ManagedChannel get(String hostPort) {
        return channels.get(hostPort);
    }

    @Override
    public void close() {
        channels.close(); // cancels calls in flight: the node is stopping
        channels.close(Duration.ofSeconds(5)); // then waits for the channels to terminate
    }
}
