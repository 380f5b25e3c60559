package dev.meridian.server.metrics;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;

/**
 * A node's OpenTelemetry: an {@link OpenTelemetrySdk} whose meter provider has one
 * {@link PrometheusTextReader} registered, which {@code /metrics} serves. Only metrics are set
 * up: no span or log exporters.
 *
 * <p>Every layer gets its {@code Meter} from {@link #sdk()} (as {@code io.opentelemetry.api.OpenTelemetry}).
 * Thread-safe; {@link #close()} shuts the SDK (and so the reader) down.
 */
public final class MeridianTelemetry implements AutoCloseable {

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    private final OpenTelemetrySdk sdk;
    private final PrometheusTextReader reader;

    private MeridianTelemetry(OpenTelemetrySdk sdk, PrometheusTextReader reader) {
        this.sdk = sdk;
        this.reader = reader;
    }

    /** Creates the SDK with a fresh reader registered and the resource {@code service.name=meridian}. */
    public static MeridianTelemetry create() {
        PrometheusTextReader reader = new PrometheusTextReader();
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, "meridian")));
        SdkMeterProvider meters = SdkMeterProvider.builder()
                .setResource(resource)
                .registerMetricReader(reader)
                .build();
        return new MeridianTelemetry(OpenTelemetrySdk.builder().setMeterProvider(meters).build(), reader);
    }

    /** The SDK to take meters from. */
    public OpenTelemetrySdk sdk() {
        return sdk;
    }

    /** The reader that renders the SDK's metrics as Prometheus text. */
    public PrometheusTextReader reader() {
        return reader;
    }

    /** Shuts the SDK down; the reader's scrapes are empty afterwards. */
    @Override
    public void close() {
        sdk.close();
    }
}
