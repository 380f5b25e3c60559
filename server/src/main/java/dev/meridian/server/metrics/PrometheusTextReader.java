package dev.meridian.server.metrics;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;

/**
 * A pull-based OpenTelemetry {@link MetricReader} that renders the metrics of the
 * {@code SdkMeterProvider} it is registered with as Prometheus text (format 0.0.4) on demand.
 *
 * <p>It keeps the {@link CollectionRegistration} the provider hands it and collects only when
 * {@link #scrape()} is called, so there is no background thread and no buffered state. Every
 * instrument is read with cumulative temporality, which is what Prometheus counters and
 * histograms mean. The text format itself is described on {@link PrometheusTextFormat}.
 *
 * <p>Thread-safe: scrapes are serialized, so concurrent scrapes never interleave a collection.
 * Before registration and after {@link #shutdown()} a scrape returns the empty string.
 */
public final class PrometheusTextReader implements MetricReader {

    /** The HTTP Content-Type of {@link #scrape()}'s output. */
    public static final String CONTENT_TYPE = PrometheusTextFormat.CONTENT_TYPE;

    private final Object lock = new Object();
    // Guarded by lock.
    private CollectionRegistration registration = CollectionRegistration.noop();
    private boolean shutdown;

    /** Creates a reader; register it with {@code SdkMeterProvider.builder().registerMetricReader}. */
    public PrometheusTextReader() {
    }

    @Override
    public void register(CollectionRegistration registration) {
        synchronized (lock) {
            if (!shutdown) {
                this.registration = registration;
            }
        }
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    /**
     * Collects every metric now and returns it as Prometheus text, families sorted by name and
     * series by labels; the empty string when nothing is registered or the reader is shut down.
     */
    public String scrape() {
        synchronized (lock) {
            if (shutdown) {
                return "";
            }
            return PrometheusTextFormat.format(registration.collectAllMetrics());
        }
    }

    /** Nothing is buffered, so there is nothing to flush: always succeeds at once. */
    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    /** Drops the registration; later scrapes return the empty string. Idempotent. */
    @Override
    public CompletableResultCode shutdown() {
        synchronized (lock) {
            shutdown = true;
            registration = CollectionRegistration.noop();
        }
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public String toString() {
        return "PrometheusTextReader";
    }
}
