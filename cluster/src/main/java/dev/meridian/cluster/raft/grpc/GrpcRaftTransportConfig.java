package dev.meridian.cluster.raft.grpc;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link GrpcRaftTransport}.
 *
 * @param listenAddress          where the server listens (port 0: any free port, see
 *                               {@link GrpcRaftTransport#localAddress()})
 * @param maxMessageBytes        the largest batch accepted from a peer and sent to one (a bigger
 *                               outgoing batch is dropped before it is queued); every node must
 *                               use the same value. Default 64 MiB, which bounds the size of a
 *                               snapshot until snapshots are chunked
 * @param queueMaxBatches        batches queued per destination before sends are dropped
 * @param queueMaxBytes          encoded bytes queued per destination before sends are dropped;
 *                               at least {@code maxMessageBytes} so that a largest batch fits
 * @param reconnectBackoffMin    wait after the first failure of a destination's stream
 * @param reconnectBackoffMax    the wait doubles per failure up to this
 * @param keepAliveTime          idle time after which a stream's connection is pinged, so that a
 *                               peer that vanished without closing is found
 * @param ioThreads              Netty event loop threads (shared by the server and all streams)
 * @param callbackThreads        threads running gRPC callbacks (inbound delivery and outbound
 *                               draining); 0, the default, runs them on the event loops, which
 *                               saves a thread hand-off per batch (the benchmark's p50 fell by
 *                               about a third) and is safe because receivers never block
 * @param closeTimeout           how long {@link GrpcRaftTransport#close()} waits for orderly
 *                               shutdown before forcing it
 */
public record GrpcRaftTransportConfig(InetSocketAddress listenAddress, int maxMessageBytes, int queueMaxBatches,
                                      long queueMaxBytes, Duration reconnectBackoffMin, Duration reconnectBackoffMax,
                                      Duration keepAliveTime, int ioThreads, int callbackThreads,
                                      Duration closeTimeout) {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 << 20;

    public GrpcRaftTransportConfig {
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(reconnectBackoffMin, "reconnectBackoffMin");
        Objects.requireNonNull(reconnectBackoffMax, "reconnectBackoffMax");
        Objects.requireNonNull(keepAliveTime, "keepAliveTime");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (maxMessageBytes <= 0 || queueMaxBatches <= 0 || ioThreads <= 0 || callbackThreads < 0) {
            throw new IllegalArgumentException("sizes and I/O threads are positive, callback threads not negative: " + maxMessageBytes + ", "
                    + queueMaxBatches + ", " + ioThreads + ", " + callbackThreads);
        }
        if (queueMaxBytes < maxMessageBytes) {
            throw new IllegalArgumentException("queueMaxBytes " + queueMaxBytes
                    + " cannot hold a batch of maxMessageBytes " + maxMessageBytes);
        }
        if (reconnectBackoffMin.isNegative() || reconnectBackoffMax.compareTo(reconnectBackoffMin) < 0) {
            throw new IllegalArgumentException("backoff " + reconnectBackoffMin + ".." + reconnectBackoffMax);
        }
    }

    /** Defaults for a node listening on {@code listenAddress}. */
    public static GrpcRaftTransportConfig defaults(InetSocketAddress listenAddress) {
        return new GrpcRaftTransportConfig(listenAddress, DEFAULT_MAX_MESSAGE_BYTES, 1024, DEFAULT_MAX_MESSAGE_BYTES,
                Duration.ofMillis(50), Duration.ofSeconds(2), Duration.ofSeconds(10), 2, 0, Duration.ofSeconds(5));
    }

    public GrpcRaftTransportConfig withCallbackThreads(int threads) {
        return new GrpcRaftTransportConfig(listenAddress, maxMessageBytes, queueMaxBatches, queueMaxBytes,
                reconnectBackoffMin, reconnectBackoffMax, keepAliveTime, ioThreads, threads, closeTimeout);
    }

    public GrpcRaftTransportConfig withMaxMessageBytes(int maxBytes, long queueBytes) {
        return new GrpcRaftTransportConfig(listenAddress, maxBytes, queueMaxBatches, queueBytes, reconnectBackoffMin,
                reconnectBackoffMax, keepAliveTime, ioThreads, callbackThreads, closeTimeout);
    }

    public GrpcRaftTransportConfig withQueueLimits(int maxBatches, long maxBytes) {
        return new GrpcRaftTransportConfig(listenAddress, maxMessageBytes, maxBatches, maxBytes, reconnectBackoffMin,
                reconnectBackoffMax, keepAliveTime, ioThreads, callbackThreads, closeTimeout);
    }

    public GrpcRaftTransportConfig withReconnectBackoff(Duration min, Duration max) {
        return new GrpcRaftTransportConfig(listenAddress, maxMessageBytes, queueMaxBatches, queueMaxBytes, min, max,
                keepAliveTime, ioThreads, callbackThreads, closeTimeout);
    }
}
