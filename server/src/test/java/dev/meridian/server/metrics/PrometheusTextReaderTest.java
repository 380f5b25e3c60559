package dev.meridian.server.metrics;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrometheusTextReaderTest {

    private final PrometheusTextReader reader = new PrometheusTextReader();
    private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    private final Meter meter = provider.get("dev.meridian.test");

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void countersAreTotalsWithTheirUnitAndAttributes() {
        LongCounter written = meter.counterBuilder("meridian.test.written").setUnit("By")
                .setDescription("Bytes written").build();
        written.add(100, Attributes.of(AttributeKey.stringKey("store"), "2"));
        written.add(7, Attributes.of(AttributeKey.stringKey("store"), "1"));
        written.add(3, Attributes.of(AttributeKey.stringKey("store"), "1"));
        meter.counterBuilder("meridian.test.ratio").ofDoubles().setUnit("{op}").setDescription("Ops").build().add(1.25);

        assertThat(scrape()).isEqualTo("""
                # HELP meridian_test_ratio_total Ops
                # TYPE meridian_test_ratio_total counter
                meridian_test_ratio_total 1.25
                # HELP meridian_test_written_bytes_total Bytes written
                # TYPE meridian_test_written_bytes_total counter
                meridian_test_written_bytes_total{store="1"} 10
                meridian_test_written_bytes_total{store="2"} 100
                """);
    }

    @Test
    void upDownCountersAndCallbackGaugesAreGauges() {
        var inflight = meter.upDownCounterBuilder("meridian.test.inflight").setDescription("In flight").build();
        inflight.add(5);
        inflight.add(-7);
        meter.gaugeBuilder("meridian.test.temperature").setUnit("Cel").setDescription("Temperature")
                .buildWithCallback(m -> {
                    m.record(21.5, Attributes.of(AttributeKey.stringKey("zone"), "b"));
                    m.record(-3.0, Attributes.of(AttributeKey.stringKey("zone"), "a"));
                });
        meter.gaugeBuilder("meridian.test.ranges").ofLongs().setDescription("Ranges")
                .buildWithCallback(m -> m.record(42));

        assertThat(scrape()).isEqualTo("""
                # HELP meridian_test_inflight In flight
                # TYPE meridian_test_inflight gauge
                meridian_test_inflight -2
                # HELP meridian_test_ranges Ranges
                # TYPE meridian_test_ranges gauge
                meridian_test_ranges 42
                # HELP meridian_test_temperature_Cel Temperature
                # TYPE meridian_test_temperature_Cel gauge
                meridian_test_temperature_Cel{zone="a"} -3
                meridian_test_temperature_Cel{zone="b"} 21.5
                """);
    }

    @Test
    void histogramsHaveCumulativeBucketsEndingInInfEqualToCount() {
        DoubleHistogram latency = meter.histogramBuilder("meridian.test.latency").setUnit("s")
                .setDescription("Latency").setExplicitBucketBoundariesAdvice(List.of(0.125, 1.0, 8.0)).build();
        Attributes get = Attributes.of(AttributeKey.stringKey("op"), "get");
        for (double v : new double[] {0.0625, 0.5, 0.5, 4, 64}) {
            latency.record(v, get);
        }
        latency.record(1.0, Attributes.of(AttributeKey.stringKey("op"), "put"));

        String text = scrape();
        assertThat(text).isEqualTo("""
                # HELP meridian_test_latency_seconds Latency
                # TYPE meridian_test_latency_seconds histogram
                meridian_test_latency_seconds_bucket{op="get",le="0.125"} 1
                meridian_test_latency_seconds_bucket{op="get",le="1"} 3
                meridian_test_latency_seconds_bucket{op="get",le="8"} 4
                meridian_test_latency_seconds_bucket{op="get",le="+Inf"} 5
                meridian_test_latency_seconds_sum{op="get"} 69.0625
                meridian_test_latency_seconds_count{op="get"} 5
                meridian_test_latency_seconds_bucket{op="put",le="0.125"} 0
                meridian_test_latency_seconds_bucket{op="put",le="1"} 1
                meridian_test_latency_seconds_bucket{op="put",le="8"} 1
                meridian_test_latency_seconds_bucket{op="put",le="+Inf"} 1
                meridian_test_latency_seconds_sum{op="put"} 1
                meridian_test_latency_seconds_count{op="put"} 1
                """);
        // The independent parser agrees: cumulative, ascending, +Inf == count (it throws otherwise).
        assertThat(PrometheusTextParser.parse(text).get("meridian_test_latency_seconds").samples()).hasSize(12);
    }

    @Test
    void labelValuesEscapeBackslashQuoteAndNewlineAndParseBackToTheOriginal() {
        String nasty = "a\\b\"c\nd";
        meter.counterBuilder("meridian.test.escaped").setDescription("help with \\ and\nnewline").build()
                .add(1, Attributes.of(AttributeKey.stringKey("v"), nasty));

        String text = scrape();
        assertThat(text).contains("# HELP meridian_test_escaped_total help with \\\\ and\\nnewline\n")
                .contains("meridian_test_escaped_total{v=\"a\\\\b\\\"c\\nd\"} 1\n");
        var sample = PrometheusTextParser.parse(text).get("meridian_test_escaped_total").samples().getFirst();
        assertThat(sample.labels()).containsExactly(Map.entry("v", nasty));
    }

    @Test
    void metricAndLabelNamesAreSanitized() {
        // The SDK refuses instrument names that do not start with a letter; '.', '-' and '/' it allows.
        meter.counterBuilder("meridian.test/party-calls").setDescription("d").build().add(2, Attributes.builder()
                .put("http.method", "GET")
                .put("__internal", "x")
                .put("a.b", "dot")
                .put("a-b", "dash")
                .build());

        String text = scrape();
        // Colliding keys a-b and a.b join in key order ('-' sorts before '.').
        assertThat(text).contains("# TYPE meridian_test_party_calls_total counter\n")
                .contains("meridian_test_party_calls_total{a_b=\"dash;dot\",http_method=\"GET\",key__internal=\"x\"} 2\n");
        PrometheusTextParser.parse(text);
        assertThat(PrometheusTextFormat.sanitizeMetricName("3rd:party é")).isEqualTo("_3rd:party__");
        assertThat(PrometheusTextFormat.sanitizeLabelName("9:x")).isEqualTo("_9_x");
    }

    @Test
    void aNameTakenByAnotherTypeIsLeftOutNotAnnouncedTwice() {
        provider.get("a").counterBuilder("dup").build().add(1);
        provider.get("b").gaugeBuilder("dup_total").buildWithCallback(m -> m.record(5));
        provider.get("a").counterBuilder("shared").build().add(1, Attributes.of(AttributeKey.stringKey("from"), "a"));
        provider.get("b").counterBuilder("shared").build().add(2, Attributes.of(AttributeKey.stringKey("from"), "b"));

        Map<String, PrometheusTextParser.Family> families = PrometheusTextParser.parse(scrape());
        assertThat(families.get("dup_total").type()).isEqualTo("counter");
        assertThat(families.get("dup_total").samples()).singleElement().extracting(s -> s.value()).isEqualTo(1.0);
        // The same counter from two scopes is one family with both series.
        assertThat(families.get("shared_total").samples()).extracting(s -> s.labels().get("from"))
                .containsExactly("a", "b");
    }

    @Test
    void everyKindTogetherParsesWithOneHelpAndTypePerFamilyInNameOrder() {
        meter.histogramBuilder("z.hist").build().record(3, Attributes.of(AttributeKey.stringKey("k"), "v"));
        meter.counterBuilder("b.count").build().add(1);
        meter.upDownCounterBuilder("a.updown").build().add(1);
        meter.gaugeBuilder("c.gauge").buildWithCallback(m -> m.record(0.5));

        String text = scrape();
        Map<String, PrometheusTextParser.Family> families = PrometheusTextParser.parse(text);
        assertThat(families.keySet()).containsExactly("a_updown", "b_count_total", "c_gauge", "z_hist");
        assertThat(families.values()).extracting(PrometheusTextParser.Family::type)
                .containsExactly("gauge", "counter", "gauge", "histogram");
        // Default SDK buckets: 15 finite boundaries, +Inf, sum and count.
        assertThat(families.get("z_hist").samples()).hasSize(18);
        assertThat(scrape()).isEqualTo(text);
    }

    @Test
    void scrapeIsEmptyBeforeRegistrationAndAfterShutdown() {
        assertThat(new PrometheusTextReader().scrape()).isEmpty();
        meter.counterBuilder("x").build().add(1);
        assertThat(scrape()).isNotEmpty();
        provider.shutdown().join(5, TimeUnit.SECONDS);
        assertThat(reader.scrape()).isEmpty();
    }

    @Test
    void meridianTelemetryServesItsMetersThroughItsReader() {
        try (MeridianTelemetry telemetry = MeridianTelemetry.create()) {
            telemetry.sdk().getMeter("dev.meridian.test").counterBuilder("meridian.test.started").build().add(3);
            assertThat(telemetry.reader().scrape()).contains("meridian_test_started_total 3\n");
            telemetry.close();
            assertThat(telemetry.reader().scrape()).isEmpty();
        }
    }

    @Test
    void unitsAndNumbersFollowPrometheusSpelling() {
        assertThat(PrometheusTextFormat.unitSuffix("ms")).isEqualTo("milliseconds");
        assertThat(PrometheusTextFormat.unitSuffix("By/s")).isEqualTo("bytes_per_seconds");
        assertThat(PrometheusTextFormat.unitSuffix("{request}")).isEmpty();
        assertThat(PrometheusTextFormat.unitSuffix("1")).isEmpty();
        assertThat(PrometheusTextFormat.unitSuffix("1/s")).isEqualTo("per_seconds");
        assertThat(PrometheusTextFormat.formatDouble(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusTextFormat.formatDouble(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(PrometheusTextFormat.formatDouble(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusTextFormat.formatDouble(-0.0)).isEqualTo("0");
        assertThat(PrometheusTextFormat.formatDouble(1e20)).isEqualTo("1.0E20");
        assertThat(PrometheusTextFormat.formatDouble(0.0005)).isEqualTo("0.0005");
        assertThat(PrometheusTextFormat.formatDouble(-1234.5)).isEqualTo("-1234.5");
        assertThat(PrometheusTextFormat.formatDouble(1e-9)).isEqualTo("1.0E-9");
        assertThat(PrometheusTextParser.parseValue(PrometheusTextFormat.formatDouble(0.1 + 0.2))).isEqualTo(0.1 + 0.2);
        assertThat(PrometheusTextParser.parseValue(PrometheusTextFormat.formatDouble(1e20))).isEqualTo(1e20);
    }

    /** The checker must be able to fail, or its passes prove nothing. */
    @Test
    void theTestParserRejectsMalformedText() {
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE m counter\nm{a=\"x} 1\n")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> PrometheusTextParser.parse("m 1\n")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE m counter\n# TYPE m counter\n")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE m counter\nm{a.b=\"x\"} 1\n")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE h histogram\n"
                + "h_bucket{le=\"1\"} 2\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 2\n"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("cumulative");
        assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE h histogram\n"
                + "h_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 3\nh_sum 1\nh_count 4\n"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("+Inf");
    }

    private String scrape() {
        String text = reader.scrape();
        PrometheusTextParser.parse(text);
        return text;
    }
}
