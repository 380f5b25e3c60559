package dev.meridian.cluster.node;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One plaintext gRPC channel per peer address, opened on first use. Thread-safe. */
final class NodeChannels implements AutoCloseable {

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ManagedChannel get(String hostPort) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        return channels.computeIfAbsent(hostPort, a -> NettyChannelBuilder.forAddress(NodeDirectory.parse(a))
                .usePlaintext().maxInboundMessageSize(64 << 20).build());
    }

    @Override
    public void close() {
        closed = true;
        for (ManagedChannel c : channels.values()) {
            c.shutdownNow();
        }
        for (ManagedChannel c : channels.values()) {
            try {
                c.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
