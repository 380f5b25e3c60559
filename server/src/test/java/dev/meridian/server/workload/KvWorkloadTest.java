package dev.meridian.server.workload;

import dev.meridian.cluster.kv.KvException;
import dev.meridian.proto.kv.ErrorKind;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The kv workload engine against an in-memory KvOperations on a {@link StepClock}: time moves
 * 250 us per clock reading, so a "3 second" run makes about 6000 operations, in milliseconds of
 * real time, on any machine. Nothing here asserts an upper bound on a timing.
 */
class KvWorkloadTest {

    private final StepClock clock = new StepClock(Duration.ofNanos(250_000));
    private final MemoryKv kv = new MemoryKv(clock);
    private final StringWriter text = new StringWriter();

    private KvSummary run(KvWorkloadConfig config) throws InterruptedException {
        return new KvWorkload(config, kv, new PrintWriter(text), clock).run();
    }

    private static KvWorkloadConfig quick() {
        return KvWorkloadConfig.defaults(42).withConcurrency(4).withDuration(Duration.ofSeconds(3)).withKeys(1000);
    }

    @Test
    void theMixHonoursReadPercentAndEveryCallIsCounted() throws Exception {
        KvSummary s = run(quick().withReadPercent(30));
        long calls = kv.gets.get() + kv.puts.get();
        assertThat(calls).as("enough operations for a 5%% tolerance").isGreaterThan(2000);
        assertThat((double) kv.gets.get() / calls).isCloseTo(0.30, within(0.05));
        // No ramp: every call the workers made is in the summary, and nothing else is.
        assertThat(s.read().count()).isEqualTo(kv.gets.get());
        assertThat(s.write().count()).isEqualTo(kv.puts.get());
        assertThat(s.total().count()).isEqualTo(calls);
        assertThat(s.errorsByKind()).isEmpty();
        assertThat(s.noOperationSucceeded()).isFalse();
    }

    @Test
    void readPercentAtTheEdgesIsAllOneKind() throws Exception {
        run(quick().withReadPercent(100).withDuration(Duration.ofSeconds(1)));
        assertThat(kv.gets.get()).isPositive();
        assertThat(kv.puts.get()).isZero();
        MemoryKv writesOnly = new MemoryKv(clock);
        new KvWorkload(quick().withReadPercent(0).withDuration(Duration.ofSeconds(1)), writesOnly,
                new PrintWriter(new StringWriter()), clock).run();
        assertThat(writesOnly.gets.get()).isZero();
        assertThat(writesOnly.puts.get()).isPositive();
    }

    @Test
    void errorsAreCountedByKindAndDoNotStopTheRun() throws Exception {
        kv.failPuts(n -> n % 2 == 0 ? KvException.of(ErrorKind.UNAVAILABLE, "no quorum") : new TimeoutException("slow"));
        KvSummary s = run(quick());
        long puts = kv.puts.get();
        long evenPuts = puts / 2;
        assertThat(puts).isGreaterThan(100);
        assertThat(s.errorsByKind()).containsOnlyKeys("TimeoutException", "UNAVAILABLE");
        assertThat(s.errorsByKind().get("UNAVAILABLE")).isEqualTo(evenPuts);
        assertThat(s.errorsByKind().get("TimeoutException")).isEqualTo(puts - evenPuts);
        assertThat(s.write().errors()).isEqualTo(puts);
        assertThat(s.write().count()).isZero();
        assertThat(s.read().errors()).isZero();
        assertThat(s.read().count()).isEqualTo(kv.gets.get()).isPositive();
        assertThat(s.total().errors()).isEqualTo(puts);
        assertThat(text.toString()).contains("errors by kind:").containsPattern("UNAVAILABLE +" + evenPuts);
    }

    @Test
    void aClientThatThrowsIsCountedLikeAFailedFuture() throws Exception {
        kv.failGets(n -> new IllegalStateException("client bug")).throwGetFailures();
        KvSummary s = run(quick().withReadPercent(100).withDuration(Duration.ofSeconds(1)));
        assertThat(s.errorsByKind()).containsOnlyKeys("IllegalStateException");
        assertThat(s.errorsByKind().get("IllegalStateException")).isEqualTo(kv.gets.get()).isPositive();
        assertThat(s.noOperationSucceeded()).isTrue();
    }

    @Test
    void aBatchResponseCarryingAnErrorIsAFailure() throws Exception {
        kv.failBatches(ErrorKind.RANGE_KEY_MISMATCH);
        KvSummary s = run(quick().withBatch(3).withDuration(Duration.ofSeconds(1)));
        assertThat(s.errorsByKind()).containsOnlyKeys("RANGE_KEY_MISMATCH");
        assertThat(s.errorsByKind().get("RANGE_KEY_MISMATCH")).isEqualTo(kv.batches.get()).isPositive();
        assertThat(s.total().count()).isZero();
    }

    @Test
    void latenciesAreRecordedPerOperationType() throws Exception {
        long delay = Duration.ofMillis(20).toNanos();
        kv.delay(delay);
        KvSummary s = run(quick());
        for (KvSummary.OpSummary op : List.of(s.read(), s.write(), s.total())) {
            assertThat(op.count()).as(op.op()).isPositive();
            assertThat(op.p50Ms()).as(op.op() + " p50").isGreaterThanOrEqualTo(20.0 * 0.999);
            assertThat(op.p99Ms()).as(op.op()).isGreaterThanOrEqualTo(op.p95Ms()).isGreaterThanOrEqualTo(op.p50Ms());
            assertThat(op.maxMs()).as(op.op()).isGreaterThanOrEqualTo(op.p99Ms());
        }
    }

    @Test
    void theRampIsNotMeasured() throws Exception {
        KvSummary s = run(quick().withRamp(Duration.ofSeconds(2)).withDuration(Duration.ofSeconds(2)));
        long calls = kv.gets.get() + kv.puts.get();
        assertThat(s.total().count()).isPositive().isLessThan(calls);
        assertThat(s.measured()).isEqualTo(Duration.ofSeconds(2));
        assertThat(text.toString()).contains("ramp: 2s, not measured");
    }

    @Test
    void initWritesEveryKeyOnce() throws Exception {
        KvSummary s = run(quick().withKeys(500).withReadPercent(100).withValueBytes(16).withInit(true)
                .withDuration(Duration.ofSeconds(1)));
        assertThat(kv.puts.get()).isEqualTo(500);
        assertThat(kv.data.keySet()).containsExactlyElementsOf(
                LongStream.range(0, 500).mapToObj(KvWorkload::key).toList());
        assertThat(kv.data.values()).allSatisfy(v -> assertThat(v).hasSize(16));
        assertThat(s.init()).hasValueSatisfying(init -> {
            assertThat(init.written()).isEqualTo(500);
            assertThat(init.failed()).isZero();
        });
        assertThat(text.toString()).contains("init: wrote 500 of 500 keys");
    }

    @Test
    void initCountsTheKeysItCouldNotWrite() throws Exception {
        kv.failPuts(n -> n % 10 == 0 ? KvException.of(ErrorKind.NODE_UNAVAILABLE, "draining") : null);
        KvSummary s = run(quick().withKeys(500).withReadPercent(100).withInit(true).withDuration(Duration.ofSeconds(1)));
        assertThat(s.init()).hasValueSatisfying(init -> {
            assertThat(init.written()).isEqualTo(450);
            assertThat(init.failed()).isEqualTo(50);
        });
        assertThat(kv.data).hasSize(450);
        assertThat(text.toString()).contains("init: wrote 450 of 500 keys")
                .contains("(50 failed; first: NODE_UNAVAILABLE: draining)");
    }

    @Test
    void keysHaveTheDocumentedFormatAndStayInTheKeySpace() throws Exception {
        assertThat(new String(KvWorkload.key(7), StandardCharsets.UTF_8)).isEqualTo("user/kv/0000000007");
        assertThat(KvWorkload.key(0)[0]).isGreaterThanOrEqualTo((byte) 0x10);
        run(quick().withKeys(50).withDuration(Duration.ofSeconds(1)));
        assertThat(kv.keysTouched.keySet()).isNotEmpty().allSatisfy(k -> {
            assertThat(k).matches("user/kv/\\d{10}");
            assertThat(Long.parseLong(k.substring("user/kv/".length()))).isBetween(0L, 49L);
        });
        // 50 keys and thousands of operations: a uniform draw reaches every one of them.
        assertThat(kv.keysTouched).hasSize(50);
    }

    @Test
    void zipfRunsAreSkewedTowardsKeyZero() throws Exception {
        run(quick().withKeys(1000).withReadPercent(0).withValueBytes(8)
                .withDistribution(KeyDistribution.ZIPF).withDuration(Duration.ofSeconds(1)));
        assertThat(kv.keysTouched.keySet()).allSatisfy(k -> assertThat(k).matches("user/kv/0000000\\d{3}"));
        long hottest = kv.keysTouched.values().stream().mapToLong(LongAdder::sum).max().orElseThrow();
        assertThat(kv.keysTouched.get("user/kv/0000000000").sum()).isEqualTo(hottest)
                .isGreaterThan(kv.puts.get() / 20); // uniform would give it 0.1%
    }

    @Test
    void batchesCarryThatManyRequestsOfOneType() throws Exception {
        KvSummary s = run(quick().withBatch(4).withDuration(Duration.ofSeconds(1)));
        assertThat(kv.gets.get() + kv.puts.get()).isZero();
        assertThat(kv.batches.get()).isPositive().isEqualTo(s.total().count());
        assertThat(kv.batchRequests.get()).isEqualTo(4 * kv.batches.get());
        assertThat(kv.mixedBatch).isFalse();
    }

    @Test
    void reportPrintsOneLinePerTypeEverySecondThenASummary() throws Exception {
        run(quick());
        String out = text.toString();
        String number = " +\\d+\\.\\d{2}";
        Pattern line = Pattern.compile("^ +(\\d+\\.\\d)s (read |write) +\\d+\\.\\d" + number.repeat(4) + " +\\d+$",
                Pattern.MULTILINE);
        assertThat(out).containsPattern(
                "(?m)^ elapsed op         ops/s   p50\\(ms\\)   p95\\(ms\\)   p99\\(ms\\)   max\\(ms\\)   errors$");
        List<String> lines = line.matcher(out).results().map(m -> m.group(1) + " " + m.group(2).strip()).toList();
        assertThat(lines).containsExactly("1.0 read", "1.0 write", "2.0 read", "2.0 write", "3.0 read", "3.0 write");
        assertThat(out).containsPattern("(?m)^_summary: 3\\.0s measured, 4 workers, 50% reads, 1000 keys \\(uniform\\)")
                .containsPattern("(?m)^read +\\d+ +\\d+\\.\\d" + number.repeat(4) + " +0$")
                .containsPattern("(?m)^write +\\d+ ")
                .containsPattern("(?m)^total +\\d+ ")
                .contains("errors by kind: none");
    }
}
