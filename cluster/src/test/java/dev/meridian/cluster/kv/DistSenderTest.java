package dev.meridian.cluster.kv;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.cluster.kv.FakeCluster.Fault;
import dev.meridian.cluster.kv.FakeCluster.Sent;
import dev.meridian.proto.kv.AdminTransferLeaseRequest;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.ConditionalPutRequest;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.GetRequest;
import dev.meridian.proto.kv.KeyValue;
import dev.meridian.proto.kv.PutRequest;
import dev.meridian.proto.kv.RangeDescriptor;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.ScanRequest;
import dev.meridian.proto.kv.ScanResponse;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static dev.meridian.cluster.kv.FakeCluster.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * DistSender routing against {@link FakeCluster}: three user ranges {@code [USER_MIN, g)} (lease
 * n1), {@code [g, p)} (n2), {@code [p, MAX)} (n3), each replicated on n1, n2, n3.
 */
class DistSenderTest {

    private final FakeCluster cluster = new FakeCluster(1, 2, 3);
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    private DistSender sender;

    @BeforeEach
    void threeRanges() {
        cluster.split("g", 2);
        cluster.split("p", 3);
        sender = sender(Duration.ofSeconds(5));
    }

    @AfterEach
    void closeMetrics() {
        provider.close();
    }

    private DistSender sender(Duration deadline) {
        DistSenderConfig config = DistSenderConfig.defaults().withDeadline(deadline)
                .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5), 2.0);
        return new DistSender(cluster, config, OpenTelemetrySdk.builder().setMeterProvider(provider).build(), new Random(7));
    }

    // ---- routing ----

    @Test
    void pointRequestsReachTheLeaseholderOfTheRangeHoldingTheirKey() {
        // A cold cache knows no leaseholders (meta holds descriptors only): learn them first.
        sender.batch(batch(get("a"), get("h"), get("q"))).join();
        cluster.clearLog();
        BatchResponse resp = sender.batch(batch(put("q"), put("a"), put("h"), get("a"))).join();

        assertThat(resp.getResponsesCount()).isEqualTo(4);
        assertThat(resp.getResponses(0).hasPut()).isTrue();
        assertThat(resp.getResponses(3).getGet().getValue().toStringUtf8()).isEqualTo("v-a");
        for (String k : List.of("a", "h", "q")) {
            assertThat(cluster.value(k)).isEqualTo(key("v-" + k));
        }
        // One part per range, each to its leaseholder, holding only that range's keys.
        List<Sent> userParts = cluster.sentWith(RequestUnion.ValueCase.PUT, false);
        assertThat(userParts).hasSize(3);
        for (Sent s : userParts) {
            String first = BatchRequests.pointKey(s.request().getRequests(0)).length == 1
                    ? new String(BatchRequests.pointKey(s.request().getRequests(0))) : "?";
            RangeDescriptor d = cluster.rangeDescriptorFor(first);
            assertThat(s.request().getHeader().getRangeId()).isEqualTo(d.getRangeId());
            assertThat(s.nodeId()).isEqualTo(cluster.leaseholderOf(first));
            for (RequestUnion r : s.request().getRequestsList()) {
                assertThat(Keys.contains(d.getStartKey().toByteArray(), d.getEndKey().toByteArray(),
                        BatchRequests.pointKey(r))).isTrue();
            }
        }
        assertThat(longSum("meridian.kv.dist.batches.partial", null, null)).isEqualTo(6);
    }

    @Test
    void partsOfDifferentRangesAreSentWithoutWaitingForEachOther() {
        sender.batch(batch(get("a"), get("h"), get("q"))).join();
        cluster.clearLog();
        for (long n = 1; n <= 3; n++) {
            cluster.fault(n, Fault.DEFER);
        }

        CompletableFuture<BatchResponse> pending = sender.batch(batch(put("a"), put("h"), put("q")));

        // All three parts are on the wire before any answered.
        assertThat(cluster.log()).extracting(Sent::nodeId).containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(pending).isNotDone();
        cluster.releaseDeferred();
        assertThat(pending.join().getResponsesCount()).isEqualTo(3);
    }

    @Test
    void mixedBatchesComeBackInRequestOrder() {
        cluster.load(LETTERS.toArray(String[]::new));
        BatchResponse resp = sender.batch(batch(
                RequestUnion.newBuilder().setScan(ScanRequest.newBuilder().setStartKey(ByteString.copyFromUtf8("e"))
                        .setEndKey(ByteString.copyFromUtf8("r")).setMaxKeys(5)).build(),
                get("q"),
                RequestUnion.newBuilder().setScan(ScanRequest.newBuilder().setStartKey(ByteString.copyFromUtf8("h"))
                        .setEndKey(ByteString.copyFromUtf8("k")).setReverse(true)).build(),
                put("b"),
                get("zz"))).join();

        assertThat(keys(resp.getResponses(0).getScan().getRowsList())).containsExactly("e", "f", "g", "h", "i");
        assertThat(resp.getResponses(1).getGet().getValue().toStringUtf8()).isEqualTo("v-q");
        assertThat(keys(resp.getResponses(2).getScan().getRowsList())).containsExactly("j", "i", "h");
        assertThat(resp.getResponses(3).hasPut()).isTrue();
        assertThat(resp.getResponses(4).getGet().hasValue()).isFalse();
    }

    @Test
    void unavailableIsRetriedAfterABackoffAndRangeNotFoundOnTheNextReplica() {
        cluster.load("h");
        sender.get(key("h")).join();
        cluster.clearLog();
        cluster.failNext(2, ErrorKind.UNAVAILABLE);
        assertThat(sender.put(key("h"), key("x")).join()).isNull();
        assertThat(cluster.log()).extracting(Sent::nodeId).containsExactly(2L, 2L);
        assertThat(longSum("meridian.kv.dist.retries", "reason", "unavailable")).isEqualTo(1);

        cluster.clearLog();
        cluster.failNext(2, ErrorKind.RANGE_NOT_FOUND);
        cluster.moveLease("h", 3);
        assertThat(sender.get(key("h")).join()).isPresent();
        assertThat(cluster.log()).extracting(Sent::nodeId).containsExactly(2L, 1L, 3L);
    }

    @Test
    void ambiguousFromTheNodeFailsAWriteButIsRetriedForARead() {
        cluster.load("h");
        sender.get(key("h")).join();
        cluster.clearLog();
        cluster.failNext(2, ErrorKind.AMBIGUOUS_RESULT);
        assertThat(failure(sender.put(key("h"), key("x"))).kind()).isEqualTo(ErrorKind.AMBIGUOUS_RESULT);
        assertThat(cluster.log()).hasSize(1);

        cluster.failNext(2, ErrorKind.AMBIGUOUS_RESULT);
        assertThat(sender.get(key("h")).join()).hasValueSatisfying(v -> assertThat(v).isEqualTo(key("v-h")));
    }

    @Test
    void typedOperationsRoundTrip() {
        sender.put(key("k"), key("1")).join();
        assertThat(sender.get(key("k")).join()).hasValueSatisfying(v -> assertThat(v).isEqualTo(key("1")));
        assertThat(sender.increment(key("n"), 5).join()).isEqualTo(5);
        assertThat(sender.increment(key("n"), -2).join()).isEqualTo(3);
        sender.conditionalPut(key("k"), key("2"), key("1")).join();
        KvException failed = failure(sender.conditionalPut(key("k"), key("3"), key("1")));
        assertThat(failed.kind()).isEqualTo(ErrorKind.CONDITION_FAILED);
        assertThat(failed.error().getActualValue().toStringUtf8()).isEqualTo("2");
        sender.delete(key("k")).join();
        assertThat(sender.get(key("k")).join()).isEqualTo(Optional.empty());
    }

    @Test
    void descriptorsAreLookedUpOnceThenServedFromTheCache() {
        cluster.load("b", "c");
        sender.get(key("b")).join();
        sender.get(key("c")).join();
        sender.get(key("b")).join();

        assertThat(cluster.sentWith(RequestUnion.ValueCase.SCAN, true)).hasSize(1);
        assertThat(cluster.firstRangeCalls()).isEqualTo(1);
        assertThat(longSum("meridian.kv.dist.range_cache.misses", null, null)).isEqualTo(2); // user range, first range
        assertThat(longSum("meridian.kv.dist.range_cache.hits", null, null)).isEqualTo(2); // c, then b again
    }

    // ---- scans ----

    private static final List<String> LETTERS = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l",
            "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z");

    @Test
    void scanAcrossThreeRangesReturnsAllRowsInOrder() {
        cluster.load(LETTERS.toArray(String[]::new));
        assertThat(keys(sender.scan(key("a"), key("zz"), 0).join())).isEqualTo(LETTERS);
        assertThat(keys(scan("a", "zz", 0, true).getRowsList())).isEqualTo(reversed(LETTERS));
        // Parts of the span: starting and ending inside ranges.
        assertThat(keys(sender.scan(key("c"), key("r"), 0).join())).isEqualTo(LETTERS.subList(2, 17));
    }

    @Test
    void maxKeysIsHonoredAcrossRangesForward() {
        cluster.load(LETTERS.toArray(String[]::new));
        // [USER_MIN, g) holds a..f (6 rows): 10 rows need the second range too.
        ScanResponse ten = scan("a", "zz", 10, false);
        assertThat(keys(ten.getRowsList())).isEqualTo(LETTERS.subList(0, 10));
        assertThat(ten.getResumeKey().toStringUtf8()).isEqualTo("j\0");
        // Exactly the first range's rows: the limit ends the scan at a range boundary.
        ScanResponse six = scan("a", "zz", 6, false);
        assertThat(keys(six.getRowsList())).isEqualTo(LETTERS.subList(0, 6));
        assertThat(six.getResumeKey().toStringUtf8()).isEqualTo("g");
        // Across all three ranges.
        assertThat(keys(scan("a", "zz", 20, false).getRowsList())).isEqualTo(LETTERS.subList(0, 20));
        // Resuming where the scan stopped gives the rest.
        assertThat(keys(scan(ten.getResumeKey().toStringUtf8(), "zz", 0, false).getRowsList()))
                .isEqualTo(LETTERS.subList(10, 26));
    }

    @Test
    void maxKeysIsHonoredAcrossRangesReverse() {
        cluster.load(LETTERS.toArray(String[]::new));
        // [p, MAX) holds p..z (11 rows): 14 rows need the middle range too.
        ScanResponse fourteen = scan("a", "zz", 14, true);
        assertThat(keys(fourteen.getRowsList())).isEqualTo(reversed(LETTERS).subList(0, 14));
        assertThat(fourteen.getResumeKey().toStringUtf8()).isEqualTo("m");
        assertThat(keys(scan("a", "zz", 24, true).getRowsList())).isEqualTo(reversed(LETTERS).subList(0, 24));
        assertThat(keys(scan("a", "m", 0, true).getRowsList())).isEqualTo(reversed(LETTERS.subList(0, 12)));
    }

    @Test
    void aScanOverManyRangesDoesNotGrowTheStackPerRange() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            String k = String.format("r%05d", i);
            keys.add(k);
            cluster.split(k, 1 + i % 3);
        }
        cluster.load(keys.toArray(String[]::new));
        sender = sender(Duration.ofMinutes(5)); // a slow machine must not fail this test

        assertThat(keys(sender.scan(key("r"), key("s"), 0).join())).isEqualTo(keys);
    }

    @Test
    void scansStoppedEarlyByANodeAreContinued() {
        cluster.load(LETTERS.toArray(String[]::new));
        cluster.scanPageSize(2);
        assertThat(keys(sender.scan(key("a"), key("zz"), 0).join())).isEqualTo(LETTERS);
        assertThat(keys(scan("a", "zz", 0, true).getRowsList())).isEqualTo(reversed(LETTERS));
        // Within one range too (the part is sent whole, then continued).
        assertThat(keys(sender.scan(key("a"), key("f"), 0).join())).isEqualTo(LETTERS.subList(0, 5));
        assertThat(keys(scan("a", "zz", 9, false).getRowsList())).isEqualTo(LETTERS.subList(0, 9));
    }

    // ---- stale caches ----

    @Test
    void staleCacheAfterASplitRecoversThroughRangeKeyMismatch() {
        cluster.load("h", "i", "m", "n");
        sender.get(key("h")).join(); // caches [g, p)
        RangeDescriptor cachedBefore = sender.rangeCache().lookup(key("m")).orElseThrow().descriptor();
        cluster.split("k", 1);

        sender.put(key("m"), key("new")).join();
        assertThat(cluster.value("m")).isEqualTo(key("new"));
        assertThat(keys(sender.scan(key("g"), key("p"), 0).join())).containsExactly("h", "i", "m", "n");
        assertThat(keys(scan("g", "p", 3, true).getRowsList())).containsExactly("n", "m", "i");

        RangeDescriptor cachedAfter = sender.rangeCache().lookup(key("m")).orElseThrow().descriptor();
        assertThat(cachedAfter.getGeneration()).isGreaterThan(cachedBefore.getGeneration());
        assertThat(cachedAfter.getStartKey().toStringUtf8()).isEqualTo("k");
        assertThat(longSum("meridian.kv.dist.retries", "reason", "range_key_mismatch")).isGreaterThanOrEqualTo(1);
        // The stale attempt wrote nothing; the write was applied by the new range's leaseholder, once.
        assertThat(cluster.sentWith(RequestUnion.ValueCase.PUT, false)).extracting(Sent::nodeId).containsExactly(2L, 1L);
    }

    @Test
    void notLeaseholderHintIsFollowed() {
        cluster.load("h");
        sender.get(key("h")).join(); // lease of [g, p) on n2
        cluster.moveLease("h", 3);
        cluster.clearLog();

        assertThat(sender.get(key("h")).join()).isPresent();
        assertThat(cluster.log()).extracting(Sent::nodeId).containsExactly(2L, 3L);
        cluster.clearLog();
        sender.get(key("h")).join();
        assertThat(cluster.log()).extracting(Sent::nodeId).containsExactly(3L);
    }

    @Test
    void withoutAHintTheOtherReplicasAreTriedInTurn() {
        cluster.load("h");
        cluster.leaseHints(false);
        sender.get(key("h")).join();
        cluster.moveLease("h", 3);
        cluster.clearLog();

        assertThat(sender.get(key("h")).join()).isPresent();
        assertThat(cluster.log()).extracting(Sent::nodeId).containsExactly(2L, 1L, 3L);
    }

    @Test
    void whenEveryReplicaFailsTheDescriptorAndThenTheFirstRangeAreLookedUpAgain() {
        cluster.load("h");
        sender.get(key("h")).join(); // caches the first range and [g, p), both on n1..n3
        cluster.relocate(Keys.MIN, 4, 5);
        cluster.relocate(key("h"), 5, 4);
        cluster.clearLog();

        assertThat(sender.get(key("h")).join()).isPresent();
        assertThat(cluster.firstRangeCalls()).isEqualTo(2);
        // n1..n3 answer RANGE_NOT_FOUND for [g, p), then for the first range's meta lookup.
        assertThat(cluster.log()).extracting(Sent::nodeId).containsExactly(2L, 1L, 3L, 1L, 2L, 3L, 4L, 5L);
        assertThat(longSum("meridian.kv.dist.retries", "reason", "range_not_found")).isEqualTo(6);
    }

    // ---- failures ----

    @Test
    void aWriteWhoseAnswerWasLostIsAmbiguousAndNotSentAgain() {
        sender.get(key("h")).join(); // learn the leaseholder, n2
        cluster.fault(2, Fault.LOSE_ANSWER);

        KvException e = failure(sender.increment(key("h"), 1));

        assertThat(e.kind()).isEqualTo(ErrorKind.AMBIGUOUS_RESULT);
        assertThat(cluster.sentWith(RequestUnion.ValueCase.INCREMENT, false)).extracting(Sent::nodeId).containsExactly(2L);
        // It was applied: reporting it as failed would have been a lie.
        assertThat(ByteBuffer.wrap(cluster.value("h")).getLong()).isEqualTo(1);
    }

    @Test
    void anUnknownOutcomeInOnePartOutranksADefiniteErrorInAnother() {
        sender.batch(batch(get("a"), get("h"))).join();
        cluster.fault(1, Fault.LOSE_ANSWER);
        BatchRequest b = batch(put("a"), RequestUnion.newBuilder().setConditionalPut(ConditionalPutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("h")).setValue(ByteString.copyFromUtf8("x"))
                .setExpected(ByteString.copyFromUtf8("nope"))).build());

        KvException e = failure(sender.batch(b));

        assertThat(e.kind()).isEqualTo(ErrorKind.AMBIGUOUS_RESULT);
        assertThat(e.error().getIndex()).isEqualTo(-1);
    }

    @Test
    void aWriteWithoutAnswerByTheDeadlineIsAmbiguous() {
        sender = sender(Duration.ofMillis(200));
        sender.get(key("h")).join(); // warm the cache
        cluster.fault(2, Fault.HANG);

        KvException e = failure(sender.put(key("h"), key("x")));

        assertThat(e.kind()).isEqualTo(ErrorKind.AMBIGUOUS_RESULT);
        assertThat(cluster.sentWith(RequestUnion.ValueCase.PUT, false)).hasSize(1);
    }

    @Test
    void aWriteThatProvablyWasNotSentGoesToTheNextReplica() {
        sender.get(key("h")).join();
        cluster.fault(2, Fault.REFUSED);
        cluster.moveLease("h", 1);

        assertThat(sender.increment(key("h"), 1).join()).isEqualTo(1);
        assertThat(cluster.sentWith(RequestUnion.ValueCase.INCREMENT, false)).extracting(Sent::nodeId).containsExactly(2L, 1L);
    }

    @Test
    void aReadIsRetriedOnAnotherReplica() {
        cluster.load("h");
        sender.get(key("h")).join();
        cluster.fault(2, Fault.UNREACHABLE);
        cluster.moveLease("h", 1);
        cluster.clearLog();

        assertThat(sender.get(key("h")).join()).hasValueSatisfying(v -> assertThat(v).isEqualTo(key("v-h")));
        assertThat(cluster.log()).extracting(Sent::nodeId).containsExactly(2L, 1L);
        assertThat(longSum("meridian.kv.dist.retries", "reason", "transport")).isEqualTo(1);
    }

    @Test
    void atTheDeadlineAReadFailsUnavailableAndAWriteThatWasNeverSentToo() {
        sender = sender(Duration.ofMillis(300));
        sender.get(key("h")).join();
        for (long n = 1; n <= 3; n++) {
            cluster.fault(n, n == 1 ? Fault.UNREACHABLE : Fault.REFUSED);
        }
        assertThat(failure(sender.get(key("h"))).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        // n1 is unreachable (maybe sent): the write must not go there. Only refusals are safe.
        cluster.fault(1, Fault.REFUSED);
        assertThat(failure(sender.put(key("h"), key("x"))).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(cluster.value("h")).isNull();
    }

    @Test
    void aDefiniteErrorNamesTheCallersRequestAndOtherRangesStillApply() {
        BatchRequest b = batch(put("a"), RequestUnion.newBuilder().setConditionalPut(ConditionalPutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("h")).setValue(ByteString.copyFromUtf8("x"))
                .setExpected(ByteString.copyFromUtf8("nope"))).build(), put("q"));

        KvException e = failure(sender.batch(b));

        assertThat(e.kind()).isEqualTo(ErrorKind.CONDITION_FAILED);
        assertThat(e.error().getIndex()).isEqualTo(1);
        // Not atomic across ranges (documented): the other ranges' parts were applied.
        assertThat(cluster.value("a")).isNotNull();
        assertThat(cluster.value("q")).isNotNull();
        assertThat(cluster.value("h")).isNull();
    }

    @Test
    void invalidInputSendsNothing() {
        List<CompletableFuture<?>> bad = new ArrayList<>();
        bad.add(sender.get(new byte[0]));
        bad.add(sender.get(null));
        bad.add(sender.put(key("a"), null));
        bad.add(sender.put(Keys.MAX, key("v")));
        bad.add(sender.scan(key("b"), key("b"), 0));
        bad.add(sender.scan(key("c"), key("b"), 0));
        bad.add(sender.scan(key("a"), key("b"), -1));
        bad.add(sender.batch(batch(put("a"), RequestUnion.getDefaultInstance())));
        bad.add(sender.batch(batch(RequestUnion.newBuilder()
                .setAdminTransferLease(AdminTransferLeaseRequest.newBuilder().setTargetNodeId(2)).build())));
        bad.add(sender.batch(null));
        for (CompletableFuture<?> f : bad) {
            assertThat(failure(f).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
        }
        assertThat(failure(sender.batch(batch(put("a"), RequestUnion.getDefaultInstance()))).error().getIndex()).isEqualTo(1);
        assertThat(cluster.log()).isEmpty();
        assertThat(cluster.firstRangeCalls()).isZero();
        assertThat(cluster.value("a")).isNull();
    }

    @Test
    void metricsCountBatchesRetriesAndLatency() {
        cluster.load("h");
        sender.get(key("h")).join();
        cluster.moveLease("h", 3);
        sender.get(key("h")).join();

        assertThat(longSum("meridian.kv.dist.batches", null, null)).isEqualTo(2);
        // One for the cold cache (the first replica, n1, was tried), one after the lease moved.
        assertThat(longSum("meridian.kv.dist.retries", "reason", "not_leaseholder")).isEqualTo(2);
        long latencyCount = 0;
        for (MetricData m : reader.collectAllMetrics()) {
            if (m.getName().equals("meridian.kv.dist.batch.duration")) {
                for (HistogramPointData p : m.getHistogramData().getPoints()) {
                    latencyCount += p.getCount();
                }
            }
        }
        assertThat(latencyCount).isEqualTo(2);
    }

    // ---- helpers ----

    private ScanResponse scan(String start, String end, long max, boolean reverse) {
        return sender.batch(batch(RequestUnion.newBuilder().setScan(ScanRequest.newBuilder()
                .setStartKey(ByteString.copyFromUtf8(start)).setEndKey(ByteString.copyFromUtf8(end))
                .setMaxKeys(max).setReverse(reverse)).build())).join().getResponses(0).getScan();
    }

    private static RequestUnion put(String k) {
        return RequestUnion.newBuilder().setPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(k))
                .setValue(ByteString.copyFromUtf8("v-" + k))).build();
    }

    private static RequestUnion get(String k) {
        return RequestUnion.newBuilder().setGet(GetRequest.newBuilder().setKey(ByteString.copyFromUtf8(k))).build();
    }

    private static BatchRequest batch(RequestUnion... requests) {
        return BatchRequest.newBuilder().addAllRequests(List.of(requests)).build();
    }

    private static List<String> keys(List<KeyValue> rows) {
        return rows.stream().map(r -> r.getKey().toStringUtf8()).toList();
    }

    private static List<String> reversed(List<String> l) {
        return new ArrayList<>(l).reversed();
    }

    static KvException failure(CompletableFuture<?> f) {
        Throwable t = catchThrowable(f::join);
        assertThat(t).isInstanceOf(CompletionException.class).hasCauseInstanceOf(KvException.class);
        return (KvException) t.getCause();
    }

    private long longSum(String name, String attr, String value) {
        long total = 0;
        Collection<MetricData> data = reader.collectAllMetrics();
        for (MetricData m : data) {
            if (m.getName().equals(name)) {
                for (LongPointData p : m.getLongSumData().getPoints()) {
                    if (attr == null || value.equals(p.getAttributes().get(AttributeKey.stringKey(attr)))) {
                        total += p.getValue();
                    }
                }
            }
        }
        return total;
    }
}
