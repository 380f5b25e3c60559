package dev.meridian.storage.rocksdb;

import dev.meridian.storage.Durability;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.WriteBatch;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collection;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine counts and times its work. */
class RocksDbMetricsTest {
    @TempDir
    Path tempDir;

    @Test
    void writesReadsAndIteratorsAreCountedAndWritesTimed() {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
        // Closing the SDK closes its meter provider.
        try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setMeterProvider(meters).build();
             RocksDbEngine engine = RocksDbEngine.open(tempDir, RocksDbEngineTest.TEST_CONFIG, otel)) {
            for (Durability d : new Durability[] {Durability.SYNCED, Durability.UNSYNCED, Durability.UNSYNCED}) {
                try (WriteBatch batch = engine.newWriteBatch()) {
                    batch.put(KeySpace.MVCC, new byte[] {1, 2}, new byte[] {3, 4, 5});
                    batch.delete(KeySpace.MVCC, new byte[] {9});
                    engine.write(batch, d);
                }
            }
            engine.get(KeySpace.MVCC, new byte[] {1, 2});
            engine.get(KeySpace.LOCAL, new byte[] {1, 2});
            try (EngineIterator it = engine.iterator(KeySpace.MVCC, null, null)) {
                it.seekToFirst();
            }
            engine.newSnapshot().close();

            Collection<MetricData> metrics = reader.collectAllMetrics();
            Attributes synced = Attributes.of(EngineMetrics.DURABILITY, "synced");
            Attributes unsynced = Attributes.of(EngineMetrics.DURABILITY, "unsynced");
            assertThat(sum(metrics, "meridian.storage.engine.batch.writes", synced)).isEqualTo(1);
            assertThat(sum(metrics, "meridian.storage.engine.batch.writes", unsynced)).isEqualTo(2);
            assertThat(sum(metrics, "meridian.storage.engine.batch.ops", unsynced)).isEqualTo(4);
            assertThat(sum(metrics, "meridian.storage.engine.batch.bytes", unsynced)).isEqualTo(2 * 6);
            assertThat(sum(metrics, "meridian.storage.engine.gets", Attributes.empty())).isEqualTo(2);
            assertThat(sum(metrics, "meridian.storage.engine.iterators", Attributes.empty())).isEqualTo(1);
            assertThat(sum(metrics, "meridian.storage.engine.snapshots", Attributes.empty())).isEqualTo(1);
            MetricData latency = find(metrics, "meridian.storage.engine.batch.latency");
            assertThat(latency.getUnit()).isEqualTo("s");
            long timed = latency.getHistogramData().getPoints().stream().mapToLong(p -> p.getCount()).sum();
            assertThat(timed).isEqualTo(3);
        }
    }

    private static MetricData find(Collection<MetricData> metrics, String name) {
        return metrics.stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + metrics));
    }

    private static long sum(Collection<MetricData> metrics, String name, Attributes attributes) {
        return find(metrics, name).getLongSumData().getPoints().stream()
                .filter(p -> p.getAttributes().equals(attributes))
                .mapToLong(p -> p.getValue()).sum();
    }
}
