package dev.meridian.cluster.kv;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link GrpcRangeTransport}.
 *
 * @param rpcTimeout      the gRPC deadline of every call (a batch, a node list, a first-range
 *                        question); a call past it completes exceptionally (DEADLINE_EXCEEDED)
 * @param maxMessageBytes the largest response accepted from a node
 * @param closeTimeout    how long {@link GrpcRangeTransport#close()} waits for calls in flight
 *                        before cancelling them
 */
public record GrpcRangeTransportConfig(Duration rpcTimeout, int maxMessageBytes, Duration closeTimeout) {

    public GrpcRangeTransportConfig {
        Objects.requireNonNull(rpcTimeout, "rpcTimeout");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        if (rpcTimeout.isNegative() || rpcTimeout.isZero() || closeTimeout.isNegative()) {
            throw new IllegalArgumentException("rpcTimeout must be positive, closeTimeout not negative: "
                    + rpcTimeout + ", " + closeTimeout);
        }
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes must be positive: " + maxMessageBytes);
        }
    }

    /** 5 s per call, 64 MiB messages, 5 s to close. */
    public static GrpcRangeTransportConfig defaults() {
        return new GrpcRangeTransportConfig(Duration.ofSeconds(5), 64 << 20, Duration.ofSeconds(5));
    }

    public GrpcRangeTransportConfig withRpcTimeout(Duration timeout) {
        return new GrpcRangeTransportConfig(timeout, maxMessageBytes, closeTimeout);
    }
}
