package dev.meridian.cluster.kv;

import io.opentelemetry.api.OpenTelemetry;

import java.util.Objects;

/**
 * Settings of a {@link KvClient}.
 *
 * @param distSender routing: deadline, backoff, range cache size
 * @param transport  gRPC: per-call timeout, message size
 * @param otel       where metrics go ({@link OpenTelemetry#noop()} for none)
 */
public record KvClientConfig(DistSenderConfig distSender, GrpcRangeTransportConfig transport, OpenTelemetry otel) {

    public KvClientConfig {
        Objects.requireNonNull(distSender, "distSender");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(otel, "otel");
    }

    /** Default routing and transport settings, no metrics. */
    public static KvClientConfig defaults() {
        return new KvClientConfig(DistSenderConfig.defaults(), GrpcRangeTransportConfig.defaults(), OpenTelemetry.noop());
    }
}
