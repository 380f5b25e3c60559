package dev.meridian.cluster.time;

import dev.meridian.storage.mvcc.Timestamp;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HybridClockTest {

    private static final Duration MAX_OFFSET = Duration.ofMillis(250);
    private static final long T0 = 1_000_000_000_000L;

    private final ManualClock physical = new ManualClock(T0);
    private final HybridClock clock = new HybridClock(physical, MAX_OFFSET);

    @Test
    void followsThePhysicalClockWhenItAdvances() {
        assertThat(clock.now()).isEqualTo(Timestamp.ofWall(T0));
        physical.advance(Duration.ofNanos(5));
        assertThat(clock.now()).isEqualTo(Timestamp.ofWall(T0 + 5));
    }

    @Test
    void bumpsTheLogicalPartWhileThePhysicalClockStandsStill() {
        assertThat(clock.now()).isEqualTo(Timestamp.of(T0, 0));
        assertThat(clock.now()).isEqualTo(Timestamp.of(T0, 1));
        assertThat(clock.now()).isEqualTo(Timestamp.of(T0, 2));
    }

    @Test
    void neverGoesBackWhenThePhysicalClockStepsBack() {
        physical.set(T0 + 1_000);
        Timestamp before = clock.now();
        physical.set(T0);
        Timestamp after = clock.now();
        assertThat(after).isEqualTo(Timestamp.of(T0 + 1_000, 1));
        assertThat(before.less(after)).isTrue();
    }

    @Test
    void updateWithALaterRemoteReadingPushesLaterReadingsAboveIt() {
        Timestamp remote = Timestamp.of(T0 + MAX_OFFSET.toNanos(), 7);
        clock.update(remote);
        assertThat(clock.now()).isEqualTo(Timestamp.of(T0 + MAX_OFFSET.toNanos(), 8));
    }

    @Test
    void updateWithAnEarlierRemoteReadingChangesNothing() {
        physical.set(T0 + 100);
        clock.now();
        clock.update(Timestamp.of(T0, 50));
        assertThat(clock.now()).isEqualTo(Timestamp.of(T0 + 100, 1));
    }

    @Test
    void refusesARemoteReadingBeyondMaxOffsetAndKeepsItsState() {
        Timestamp first = clock.now();
        Timestamp tooFar = Timestamp.ofWall(T0 + MAX_OFFSET.toNanos() + 1);
        assertThatThrownBy(() -> clock.update(tooFar))
                .isInstanceOf(ClockOffsetException.class)
                .satisfies(e -> {
                    ClockOffsetException c = (ClockOffsetException) e;
                    assertThat(c.remote()).isEqualTo(tooFar);
                    assertThat(c.physicalNanos()).isEqualTo(T0);
                    assertThat(c.maxOffset()).isEqualTo(MAX_OFFSET);
                });
        assertThat(clock.now()).isEqualTo(first.next());
    }

    @Test
    void theOffsetBoundIsMeasuredAgainstThePhysicalClockNotTheHlc() {
        // The HLC already sits ahead of the physical clock; a reading within max-offset of the
        // physical clock is still fine, and one beyond it is refused even though it is close to
        // the HLC's own reading.
        clock.update(Timestamp.ofWall(T0 + MAX_OFFSET.toNanos()));
        assertThatThrownBy(() -> clock.update(Timestamp.ofWall(T0 + MAX_OFFSET.toNanos() + 1)))
                .isInstanceOf(ClockOffsetException.class);
        physical.advance(Duration.ofNanos(1));
        clock.update(Timestamp.ofWall(T0 + MAX_OFFSET.toNanos() + 1));
        assertThat(clock.now()).isEqualTo(Timestamp.of(T0 + MAX_OFFSET.toNanos() + 1, 1));
    }

    @Test
    void zeroMaxOffsetRefusesAnyReadingAheadOfThePhysicalClock() {
        HybridClock strict = new HybridClock(physical, Duration.ZERO);
        strict.update(Timestamp.of(T0, 3));
        assertThatThrownBy(() -> strict.update(Timestamp.ofWall(T0 + 1))).isInstanceOf(ClockOffsetException.class);
        assertThat(strict.now()).isEqualTo(Timestamp.of(T0, 4));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new HybridClock(physical, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> new HybridClock(physical, Duration.ofSeconds(Long.MAX_VALUE)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> clock.update(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void exposesMaxOffsetAndThePhysicalReading() {
        physical.set(T0 + 42);
        assertThat(clock.maxOffset()).isEqualTo(MAX_OFFSET);
        assertThat(clock.physicalNanos()).isEqualTo(T0 + 42);
        assertThat(clock.now()).isEqualTo(Timestamp.ofWall(T0 + 42));
    }

    @Test
    void readingsFromManyThreadsAreAllDistinctAndIncreasingPerThread() throws Exception {
        int threads = 4;
        int perThread = 5_000;
        List<List<Timestamp>> seen = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            List<Timestamp> mine = new ArrayList<>(perThread);
            seen.add(mine);
            int id = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    if (id == 0 && i % 100 == 0) {
                        physical.advance(Duration.ofNanos(3));
                    }
                    if (id == 1 && i % 100 == 0) {
                        clock.update(Timestamp.ofWall(physical.nowNanos() + 1));
                    }
                    mine.add(clock.now());
                }
            }));
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        TreeMap<Timestamp, Integer> all = new TreeMap<>();
        for (List<Timestamp> mine : seen) {
            for (int i = 1; i < mine.size(); i++) {
                assertThat(mine.get(i - 1).less(mine.get(i))).isTrue();
            }
            mine.forEach(ts -> all.merge(ts, 1, Integer::sum));
        }
        assertThat(all).hasSize(threads * perThread);
    }

    @Test
    void countsMergedAndRefusedReadings() {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        OpenTelemetry otel = OpenTelemetrySdk.builder()
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build()).build();
        HybridClock measured = new HybridClock(physical, MAX_OFFSET, otel);
        measured.update(Timestamp.ofWall(T0 + 10));
        measured.update(Timestamp.ofWall(T0 - 10));
        assertThatThrownBy(() -> measured.update(Timestamp.ofWall(T0 + MAX_OFFSET.toNanos() * 2)))
                .isInstanceOf(ClockOffsetException.class);
        Map<String, Long> totals = new TreeMap<>();
        for (MetricData m : reader.collectAllMetrics()) {
            totals.put(m.getName(), m.getLongSumData().getPoints().iterator().next().getValue());
        }
        assertThat(totals).containsEntry("meridian.hlc.updates", 2L)
                .containsEntry("meridian.hlc.updates.forwarded", 1L)
                .containsEntry("meridian.hlc.updates.refused", 1L);
    }
}
