package dev.meridian.cluster.replica.latch;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import static dev.meridian.cluster.replica.latch.LatchSpan.readPoint;
import static dev.meridian.cluster.replica.latch.LatchSpan.readRange;
import static dev.meridian.cluster.replica.latch.LatchSpan.writePoint;
import static dev.meridian.cluster.replica.latch.LatchSpan.writeRange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class SpanLatchManagerTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final SpanLatchManager latches = new SpanLatchManager();

    static byte[] k(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return b;
    }

    // ---- conflicts ----

    static List<Arguments> conflictCases() {
        return List.of(
                arguments("point/point same key read/read", readPoint(k(1)), readPoint(k(1)), false),
                arguments("point/point same key read/write", readPoint(k(1)), writePoint(k(1)), true),
                arguments("point/point same key write/read", writePoint(k(1)), readPoint(k(1)), true),
                arguments("point/point same key write/write", writePoint(k(1)), writePoint(k(1)), true),
                arguments("point/point other key", writePoint(k(1)), writePoint(k(2)), false),
                arguments("point/point prefix is another key", writePoint(k(1)), writePoint(k(1, 0)), false),
                arguments("point inside range", writePoint(k(5)), readRange(k(1), k(9)), true),
                arguments("point at range start", readPoint(k(1)), writeRange(k(1), k(9)), true),
                arguments("point at range end (exclusive)", writePoint(k(9)), writeRange(k(1), k(9)), false),
                arguments("point before range", writePoint(k(0)), writeRange(k(1), k(9)), false),
                arguments("point in range read/read", readPoint(k(5)), readRange(k(1), k(9)), false),
                arguments("range/range overlapping", writeRange(k(1), k(5)), readRange(k(4), k(9)), true),
                arguments("range/range nested", readRange(k(1), k(9)), writeRange(k(3), k(4)), true),
                arguments("range/range adjacent", writeRange(k(1), k(5)), writeRange(k(5), k(9)), false),
                arguments("range/range read/read", readRange(k(1), k(9)), readRange(k(2), k(3)), false),
                arguments("bytes compare unsigned", writePoint(k(0x80)), writeRange(k(0x00), k(0x7f)), false),
                arguments("bytes compare unsigned (range)", writeRange(k(0x7f), k(0x90)), writePoint(k(0x80)), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conflictCases")
    void conflicts(String name, LatchSpan held, LatchSpan asked, boolean conflict) throws Exception {
        assertThat(held.conflictsWith(asked)).isEqualTo(conflict);
        assertThat(asked.conflictsWith(held)).isEqualTo(conflict);
        try (LatchGuard g = latches.acquire(List.of(held), Duration.ZERO)) {
            if (conflict) {
                assertThatThrownBy(() -> latches.acquire(List.of(asked), Duration.ZERO))
                        .isInstanceOf(TimeoutException.class);
            } else {
                latches.acquire(List.of(asked), Duration.ZERO).close();
            }
        }
        // Once released, the asked span is free either way.
        latches.acquire(List.of(asked), Duration.ZERO).close();
        assertThat(latches.activeRequests()).isZero();
    }

    @Test
    void aRequestDoesNotConflictWithItself() throws Exception {
        try (LatchGuard g = latches.acquire(List.of(writePoint(k(1)), writeRange(k(0), k(5)), readPoint(k(1))),
                Duration.ZERO)) {
            assertThat(latches.activeRequests()).isEqualTo(1);
        }
    }

    // ---- waiting, fairness ----

    @Test
    void releaseWakesTheWaiter() throws Exception {
        LatchGuard first = latches.acquire(List.of(writePoint(k(1))), Duration.ZERO);
        CompletableFuture<LatchGuard> second = acquireAsync(List.of(readPoint(k(1))));
        awaitActive(2);
        assertThat(second).isNotDone();
        first.close();
        second.get(30, TimeUnit.SECONDS).close();
        assertThat(latches.activeRequests()).isZero();
    }

    @Test
    void aLaterReaderQueuesBehindAWaitingWriter() throws Exception {
        LatchGuard reader1 = latches.acquire(List.of(readPoint(k(1))), Duration.ZERO);
        CompletableFuture<LatchGuard> writer = acquireAsync(List.of(writePoint(k(1))));
        awaitActive(2);
        // Compatible with the held read, but the writer arrived first.
        assertThatThrownBy(() -> latches.acquire(List.of(readPoint(k(1))), Duration.ZERO))
                .isInstanceOf(TimeoutException.class);
        CompletableFuture<LatchGuard> reader3 = acquireAsync(List.of(readRange(k(0), k(2))));
        awaitActive(3);
        reader1.close();
        LatchGuard w = writer.get(30, TimeUnit.SECONDS);
        assertThat(reader3).isNotDone();
        w.close();
        reader3.get(30, TimeUnit.SECONDS).close();
        assertThat(latches.activeRequests()).isZero();
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        List<Integer> order = new ArrayList<>();
        LatchGuard first = latches.acquire(List.of(writePoint(k(1))), Duration.ZERO);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int id = i;
            done.add(CompletableFuture.runAsync(() -> {
                try (LatchGuard g = latches.acquire(List.of(writePoint(k(1))), LONG)) {
                    order.add(id);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, r -> Thread.ofPlatform().start(r)));
            awaitActive(2 + i);
        }
        first.close();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aTimedOutRequestLeavesNoTrace() throws Exception {
        LatchGuard holder = latches.acquire(List.of(writePoint(k(1))), Duration.ZERO);
        assertThatThrownBy(() -> latches.acquire(List.of(writePoint(k(1)), writePoint(k(2))), Duration.ofMillis(20)))
                .isInstanceOf(TimeoutException.class).hasMessageContaining("not acquired");
        assertThat(latches.activeRequests()).isEqualTo(1);
        // The holder no longer counts it as waiting.
        assertThat(((LatchRequest) holder).dependents).isEmpty();
        // The key the timed-out request also named is free.
        latches.acquire(List.of(writePoint(k(2))), Duration.ZERO).close();
        holder.close();
        latches.acquire(List.of(writeRange(k(0), k(9))), Duration.ZERO).close();
    }

    @Test
    void anAbandonedRequestReleasesThoseQueuedBehindIt() throws Exception {
        LatchGuard holder = latches.acquire(List.of(writePoint(k(1))), Duration.ZERO);
        Thread[] waiterThread = new Thread[1];
        CompletableFuture<Throwable> abandoned = new CompletableFuture<>();
        waiterThread[0] = Thread.ofPlatform().start(() -> {
            try {
                latches.acquire(List.of(writePoint(k(1)), writePoint(k(2))), LONG).close();
                abandoned.complete(null);
            } catch (Throwable t) {
                abandoned.complete(t);
            }
        });
        awaitActive(2);
        // Queued behind the waiting request only (it does not touch key 1).
        CompletableFuture<LatchGuard> behind = acquireAsync(List.of(readPoint(k(2))));
        awaitActive(3);
        assertThat(behind).isNotDone();
        waiterThread[0].interrupt();
        assertThat(abandoned.get(30, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        behind.get(30, TimeUnit.SECONDS).close();
        assertThat(latches.activeRequests()).isEqualTo(1);
        holder.close();
        assertThat(latches.activeRequests()).isZero();
    }

    @Test
    void closingTwiceReleasesOnce() throws Exception {
        LatchGuard a = latches.acquire(List.of(writePoint(k(1))), Duration.ZERO);
        LatchGuard b = latches.acquire(List.of(writePoint(k(2))), Duration.ZERO);
        a.close();
        a.close();
        assertThat(latches.activeRequests()).isEqualTo(1);
        assertThatThrownBy(() -> latches.acquire(List.of(readPoint(k(2))), Duration.ZERO))
                .isInstanceOf(TimeoutException.class);
        b.close();
        assertThat(latches.activeRequests()).isZero();
    }

    @Test
    void thousandsOfHoldersAreIndexed() throws Exception {
        List<LatchGuard> held = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            held.add(latches.acquire(List.of(writePoint(k(1, i >> 8, i & 0xff))), Duration.ZERO));
        }
        assertThat(latches.activeRequests()).isEqualTo(5_000);
        assertThatThrownBy(() -> latches.acquire(List.of(readRange(k(1), k(2))), Duration.ZERO))
                .isInstanceOf(TimeoutException.class);
        latches.acquire(List.of(readPoint(k(1, 200, 0))), Duration.ZERO).close();
        latches.acquire(List.of(writeRange(k(2), k(3))), Duration.ZERO).close();
        held.forEach(LatchGuard::close);
        latches.acquire(List.of(readRange(k(1), k(2))), Duration.ZERO).close();
        assertThat(latches.activeRequests()).isZero();
    }

    @Test
    void badRequestsAreRefusedAndLeaveNoTrace() {
        assertThatThrownBy(() -> latches.acquire(List.of(), LONG)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> latches.acquire(List.of(readPoint(k(1))), Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writeRange(k(5), k(5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writeRange(k(6), k(5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> readPoint(null)).isInstanceOf(NullPointerException.class);
        assertThat(latches.activeRequests()).isZero();
    }

    @Test
    void spansCopyTheirKeys() {
        byte[] key = k(1);
        LatchSpan span = writePoint(key);
        key[0] = 2;
        span.start()[0] = 3;
        assertThat(span).isEqualTo(writePoint(k(1)));
        assertThat(span.toString()).isEqualTo("write 01");
    }

    @Test
    void countsAcquisitionsWaitsAndTimeouts() throws Exception {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        OpenTelemetry otel = OpenTelemetrySdk.builder()
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build()).build();
        SpanLatchManager measured = new SpanLatchManager(otel);
        LatchGuard first = measured.acquire(List.of(writePoint(k(1))), Duration.ZERO);
        assertThatThrownBy(() -> measured.acquire(List.of(writePoint(k(1))), Duration.ofMillis(1)))
                .isInstanceOf(TimeoutException.class);
        CompletableFuture<LatchGuard> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return measured.acquire(List.of(writePoint(k(1))), LONG);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofPlatform().start(r));
        awaitTrue(() -> measured.activeRequests() == 2);
        first.close();
        waiter.get(30, TimeUnit.SECONDS).close();
        Map<String, MetricData> byName = new TreeMap<>();
        reader.collectAllMetrics().forEach(m -> byName.put(m.getName(), m));
        assertThat(sum(byName, "meridian.latch.acquisitions")).isEqualTo(2);
        assertThat(sum(byName, "meridian.latch.waits")).isEqualTo(2);
        assertThat(sum(byName, "meridian.latch.timeouts")).isEqualTo(1);
        assertThat(byName.get("meridian.latch.wait.duration").getHistogramData().getPoints().iterator().next()
                .getCount()).isEqualTo(2);
    }

    private static long sum(Map<String, MetricData> byName, String name) {
        return byName.get(name).getLongSumData().getPoints().iterator().next().getValue();
    }

    private CompletableFuture<LatchGuard> acquireAsync(List<LatchSpan> spans) {
        CompletableFuture<LatchGuard> f = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                f.complete(latches.acquire(spans, LONG));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private void awaitActive(int n) throws InterruptedException {
        awaitTrue(() -> latches.activeRequests() == n);
    }

    /** Polls until the condition holds; the deadline only guards against a hung test. */
    static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 30_000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(1);
        }
        assertThat(condition.getAsBoolean()).as("condition reached").isTrue();
    }

}
