package dev.meridian.server.http;

import com.google.protobuf.ByteString;
import dev.meridian.proto.kv.Lease;
import dev.meridian.proto.kv.RangeDescriptor;
import dev.meridian.proto.kv.RangeInfo;
import dev.meridian.proto.kv.ReplicaDescriptor;
import dev.meridian.proto.kv.ReplicaType;
import dev.meridian.proto.kv.Timestamp;
import dev.meridian.server.metrics.MeridianTelemetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static dev.meridian.server.http.JsonTestParser.array;
import static dev.meridian.server.http.JsonTestParser.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The status server over real HTTP on loopback. */
class StatusServerTest {

    /** A node whose answers the test sets. */
    static final class FakeNode implements StatusSource {
        volatile Health health = Health.ok(3, "cluster-a");
        volatile List<RangeInfo> ranges = List.of();
        volatile RuntimeException failure;

        @Override
        public Health health() {
            if (failure != null) {
                throw failure;
            }
            return health;
        }

        @Override
        public List<RangeInfo> ranges() {
            if (failure != null) {
                throw failure;
            }
            return ranges;
        }
    }

    private final FakeNode node = new FakeNode();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private MeridianTelemetry telemetry;
    private StatusServer server;

    @BeforeEach
    void start() throws IOException {
        telemetry = MeridianTelemetry.create();
        server = StatusServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), node,
                telemetry.reader(), telemetry.sdk().getMeter("dev.meridian.server.http"));
    }

    @AfterEach
    void stop() {
        server.close();
        telemetry.close();
        client.close();
    }

    @Test
    void boundToAnEphemeralLoopbackPort() {
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(server.address().getPort()).isPositive();
    }

    @Test
    void healthyNodeAnswers200WithItsIdentity() throws Exception {
        HttpResponse<String> response = get("/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(object(JsonTestParser.parse(response.body()))).containsExactlyEntriesOf(orderedMap(
                "status", "ok", "detail", "", "nodeId", 3L, "clusterId", "cluster-a"));
    }

    @Test
    void drainingOrUninitializedNodeAnswers503WithTheReason() throws Exception {
        node.health = StatusSource.Health.unavailable("draining", 3, "cluster-a");
        HttpResponse<String> draining = get("/health");
        assertThat(draining.statusCode()).isEqualTo(503);
        assertThat(object(JsonTestParser.parse(draining.body())))
                .containsEntry("status", "unavailable").containsEntry("reason", "draining").containsEntry("nodeId", 3L);

        node.health = StatusSource.Health.unavailable("not yet initialized", 0, "");
        HttpResponse<String> fresh = get("/health");
        assertThat(fresh.statusCode()).isEqualTo(503);
        assertThat(object(JsonTestParser.parse(fresh.body())))
                .containsEntry("reason", "not yet initialized").containsEntry("nodeId", null).containsEntry("clusterId", null);
    }

    @Test
    void aHealthCheckThatThrowsIsUnhealthyAndRangesThatThrowAre500() throws Exception {
        node.failure = new IllegalStateException("store closed");

        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat((String) object(JsonTestParser.parse(health.body())).get("reason")).contains("store closed");
        HttpResponse<String> ranges = get("/_status/ranges");
        assertThat(ranges.statusCode()).isEqualTo(500);
        assertThat((String) object(JsonTestParser.parse(ranges.body())).get("error")).contains("store closed");
    }

    @Test
    void metricsServePrometheusTextIncludingTheServersOwnRequestCounts() throws Exception {
        telemetry.sdk().getMeter("dev.meridian.test").counterBuilder("meridian.test.events").build().add(7);
        get("/health");
        node.health = StatusSource.Health.unavailable("draining", 3, "cluster-a");
        get("/health");
        get("/nope");

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body())
                .contains("# TYPE meridian_test_events_total counter\nmeridian_test_events_total 7\n")
                .contains("meridian_http_requests_total{code=\"200\",path=\"/health\"} 1\n")
                .contains("meridian_http_requests_total{code=\"503\",path=\"/health\"} 1\n")
                .contains("meridian_http_requests_total{code=\"404\",path=\"other\"} 1\n")
                .contains("meridian_http_request_duration_seconds_count{code=\"200\",path=\"/health\"} 1\n");
    }

    @Test
    void rangesAreAJsonArrayWithKeysPrettyAndHex() throws Exception {
        byte[] oddKey = {0x10, 'a', 0x00, '\\', '"'};
        RangeInfo first = RangeInfo.newBuilder()
                .setRangeDescriptor(RangeDescriptor.newBuilder().setRangeId(1)
                        .setStartKey(ByteString.EMPTY).setEndKey(ByteString.copyFrom(oddKey)).setGeneration(4)
                        .addReplicas(replica(1, 1, ReplicaType.VOTER))
                        .addReplicas(replica(2, 5, ReplicaType.LEARNER)))
                .setLease(Lease.newBuilder().setReplica(replica(2, 5, ReplicaType.VOTER)).setSequence(9)
                        .setStart(Timestamp.newBuilder().setWallNanos(1_700_000_000_123_456_789L))
                        .setExpiration(Timestamp.newBuilder().setWallNanos(1_700_000_009_000_000_001L).setLogical(2))
                        .setProposedTerm(6))
                .setRaftLeaderNodeId(2).setAppliedIndex(1234).setLiveBytes(4096).setKeyCount(17)
                .build();
        RangeInfo second = RangeInfo.newBuilder()
                .setRangeDescriptor(RangeDescriptor.newBuilder().setRangeId(2)
                        .setStartKey(ByteString.copyFrom(oddKey)).setEndKey(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff}))
                        .addReplicas(ReplicaDescriptor.newBuilder().setNodeId(3).setReplicaId(1).setTypeValue(99)))
                .build();
        node.ranges = List.of(first, second);

        HttpResponse<String> response = get("/_status/ranges");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        List<Object> ranges = array(JsonTestParser.parse(response.body()));
        assertThat(ranges).hasSize(2);
        Map<String, Object> r1 = object(ranges.get(0));
        // Expected forms written out by hand: Keys.pretty shows \ as \x5c (it is its escape character)
        // and " as itself, which the JSON must then escape.
        assertThat(r1).containsExactlyEntriesOf(orderedMap(
                "rangeId", 1L,
                "startKey", orderedMap("pretty", "/Min", "hex", ""),
                "endKey", orderedMap("pretty", "\\x10a\\x00\\x5c\"", "hex", "106100" + "5c22"),
                "generation", 4L,
                "replicas", List.of(
                        orderedMap("nodeId", 1L, "storeId", 0L, "replicaId", 1L, "type", "VOTER"),
                        orderedMap("nodeId", 2L, "storeId", 0L, "replicaId", 5L, "type", "LEARNER")),
                "leaseholderNodeId", 2L,
                "lease", orderedMap("replicaId", 5L, "sequence", 9L,
                        "start", orderedMap("wallNanos", "1700000000123456789", "logical", 0L),
                        "expiration", orderedMap("wallNanos", "1700000009000000001", "logical", 2L),
                        "proposedTerm", 6L),
                "raftLeaderNodeId", 2L,
                "appliedIndex", 1234L,
                "liveBytes", 4096L,
                "keyCount", 17L));
        Map<String, Object> r2 = object(ranges.get(1));
        assertThat(object(r2.get("endKey"))).containsEntry("pretty", "/Max").containsEntry("hex", "ffff");
        assertThat(r2).containsEntry("lease", null).containsEntry("leaseholderNodeId", null);
        assertThat(object(array(r2.get("replicas")).getFirst())).containsEntry("type", "UNKNOWN(99)");
    }

    @Test
    void noRangesIsAnEmptyArray() throws Exception {
        assertThat(get("/_status/ranges").body()).isEqualTo("[]");
    }

    @Test
    void unknownPathsAre404AndOtherMethodsAre405() throws Exception {
        HttpResponse<String> missing = get("/health/extra");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(object(JsonTestParser.parse(missing.body())))
                .containsEntry("status", 404L).containsEntry("error", "no such endpoint: /health/extra");

        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri("/health"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        assertThat(object(JsonTestParser.parse(post.body()))).containsEntry("status", 405L);

        HttpResponse<String> delete = client.send(HttpRequest.newBuilder(uri("/metrics")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(405);
    }

    @Test
    void queryStringsDoNotChangeTheEndpoint() throws Exception {
        assertThat(get("/health?verbose=1").statusCode()).isEqualTo(200);
    }

    @Test
    void anAddressInUseIsAClearErrorAndTheFirstServerKeepsServing() throws Exception {
        assertThatThrownBy(() -> StatusServer.start(server.address(), node, telemetry.reader(),
                telemetry.sdk().getMeter("second"))).isInstanceOf(BindException.class);
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void concurrentRequestsBeyondThePoolAreAllAnswered() {
        List<CompletableFuture<HttpResponse<String>>> responses = IntStream.range(0, 60)
                .mapToObj(i -> client.sendAsync(HttpRequest.newBuilder(uri(i % 2 == 0 ? "/health" : "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();

        assertThat(responses).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
    }

    @Test
    void closeStopsListening() {
        URI health = uri("/health");
        server.close();
        server.close();

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    private static ReplicaDescriptor replica(long nodeId, long replicaId, ReplicaType type) {
        return ReplicaDescriptor.newBuilder().setNodeId(nodeId).setReplicaId(replicaId).setType(type).build();
    }

    /** A map that keeps insertion order, so that key order in the JSON is checked too. */
    private static Map<String, Object> orderedMap(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

}
