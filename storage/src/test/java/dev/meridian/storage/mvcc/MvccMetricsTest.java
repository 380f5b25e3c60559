package dev.meridian.storage.mvcc;

import dev.meridian.storage.Durability;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.memory.InMemoryEngine;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MvccMetricsTest {

    @Test
    void countsOutcomesOfRealOperations() {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
             InMemoryEngine engine = new InMemoryEngine()) {
            MvccMetrics metrics = new MvccMetrics(provider.get("test"));
            byte[] k = {'k'};
            MvccStats stats = new MvccStats();
            try (ReadWriteBatch b = engine.newReadWriteBatch()) {
                metrics.recordWrite("put", Mvcc.put(b, stats, k, new byte[] {1}, WriteOptions.at(Timestamp.ofWall(10))));
                metrics.recordWrite("put", Mvcc.put(b, stats, k, new byte[] {2}, WriteOptions.at(Timestamp.ofWall(5))));
                engine.write(b, Durability.SYNCED);
            }
            metrics.recordGet(Mvcc.get(engine, k, ReadOptions.at(Timestamp.ofWall(20))));
            metrics.recordScan(Mvcc.scan(engine, new byte[0], null, ReadOptions.at(Timestamp.ofWall(20)), ScanLimits.NONE));

            Collection<MetricData> data = reader.collectAllMetrics();
            assertThat(sum(data, "meridian.mvcc.writes", "status", "OK")).isEqualTo(1);
            assertThat(sum(data, "meridian.mvcc.writes", "status", "WRITE_TOO_OLD")).isEqualTo(1);
            assertThat(sum(data, "meridian.mvcc.reads", "status", "FOUND")).isEqualTo(1);
            assertThat(sum(data, "meridian.mvcc.reads", "op", "scan")).isEqualTo(1);
            assertThat(sum(data, "meridian.mvcc.scan.rows", null, null)).isEqualTo(1);
        }
    }

    private static long sum(Collection<MetricData> data, String name, String attr, String value) {
        long total = 0;
        for (MetricData m : data) {
            if (!m.getName().equals(name)) {
                continue;
            }
            List<LongPointData> points = List.copyOf(m.getLongSumData().getPoints());
            for (LongPointData p : points) {
                if (attr == null || value.equals(p.getAttributes().get(AttributeKey.stringKey(attr)))) {
                    total += p.getValue();
                }
            }
        }
        return total;
    }
}
