package dev.meridian.cluster.node;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.kv.KvException;
import dev.meridian.cluster.kv.KvOperations;
import dev.meridian.proto.kv.AdminSplitRequest;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.KeyValue;
import dev.meridian.proto.kv.RangeInfo;
import dev.meridian.proto.kv.RequestUnion;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded random run of every KV operation and of splits, through random gateways of a
 * three-node cluster, with a node stopped and restarted twice along the way. A soak run: it
 * runs with {@code -Psoak} (one run per seed of {@code -Dfuzz.seeds=...}), not in the default
 * build. OPEN DEFECT: seed 5 once saw a scan across freshly split ranges miss one acknowledged
 * key (user/k56 of [user/k43, user/k57]); not yet explained, see docs/architecture.md. One client, one
 * operation at a time, so every answer must match a plain sorted map. After the run every node
 * still runs and every range has the same keys on every replica. Catches the class of bug where
 * one kind of command stops the cluster (a split of any range but the first once did).
 */
class ClusterFuzzTest {

    private static final int OPERATIONS = 300;

    @TempDir
    Path dir;

    static java.util.stream.LongStream seeds() {
        return Arrays.stream(System.getProperty("fuzz.seeds", "20261123").split(",")).mapToLong(x -> Long.parseLong(x.trim()));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.MethodSource("seeds")
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "meridian.soak", matches = "true")
    void randomOperationsAndSplitsAgreeWithAMapAndStopNoNode(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        NavigableMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        List<String> log = new ArrayList<>();
        try (LocalCluster c = new LocalCluster(dir, x -> x).start(3)) {
            c.awaitVoters(0, 1, 3);
            int down = -1;
            for (int i = 0; i < OPERATIONS; i++) {
                if (i == OPERATIONS / 3 || i == 2 * OPERATIONS / 3) {
                    down = random.nextInt(3);
                    c.stop(down);
                    log.add("stop n" + (down + 1));
                } else if (down >= 0 && (i == OPERATIONS / 3 + 40 || i == 2 * OPERATIONS / 3 + 40)) {
                    c.restart(down);
                    log.add("restart n" + (down + 1));
                    down = -1;
                }
                int gw;
                do {
                    gw = random.nextInt(3);
                } while (gw == down);
                KvOperations kv = c.kv(gw);
                byte[] key = key(random.nextInt(60));
                try {
                    log.add(step(random, kv, c, model, key, gw));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof KvException k && k.kind() == ErrorKind.AMBIGUOUS_RESULT)) {
                        throw new AssertionError("operation " + i + " failed (seed " + seed + ") after " + tail(log)
                                + "\n" + c.describe(), e);
                    }
                    // The gateway lost the leaseholder mid-write (a node was stopped): the write
                    // may or may not have happened, and never will later (a command evaluated
                    // under the old lease is refused once the lease moved). Write the keys it
                    // may have touched again, definitely, so that the model knows them.
                    log.add("ambiguous: " + s(key) + "; rewriting");
                    settle(c, down, model, key);
                } catch (Exception | AssertionError e) {
                    throw new AssertionError("operation " + i + " failed (seed " + seed + ") after " + tail(log)
                            + "\n" + c.describe(), e);
                }
            }
            for (int i = 0; i < 3; i++) {
                assertThat(c.node(i).state()).as("node %d after %s", i + 1, tail(log)).isEqualTo(Node.State.RUNNING);
            }
            List<KeyValue> all = c.kv(0).scan(b("user/"), b("user0"), 0).get(30, TimeUnit.SECONDS);
            assertThat(all.stream().map(kv -> s(kv.getKey().toByteArray()) + "=" + hex(kv.getValue().toByteArray())).toList())
                    .as("final contents (seed %d)", seed).isEqualTo(model.entrySet().stream()
                            .map(e -> s(e.getKey()) + "=" + hex(e.getValue())).toList());
            for (RangeInfo r : c.ranges(0)) {
                long id = r.getRangeDescriptor().getRangeId();
                LocalCluster.await(Duration.ofSeconds(30), () -> ClusterTest.sameKeyCounts(c, id),
                        () -> "r" + id + " the same on every node (seed " + seed + ")" + c.describe());
            }
        }
    }

    private static String step(SplittableRandom random, KvOperations kv, LocalCluster c, NavigableMap<byte[], byte[]> model,
                               byte[] key, int gw) throws Exception {
        String k = s(key);
        byte[] value = ("v" + random.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
        int op = random.nextInt(100);
        String what;
        if (op < 30) {
            what = "n" + (gw + 1) + " put " + k;
            get(kv.put(key, value));
            model.put(key, value);
        } else if (op < 45) {
            what = "n" + (gw + 1) + " get " + k;
            Optional<byte[]> got = get(kv.get(key));
            assertThat(got.map(ClusterFuzzTest::hex)).as(what).isEqualTo(Optional.ofNullable(model.get(key)).map(ClusterFuzzTest::hex));
        } else if (op < 55) {
            what = "n" + (gw + 1) + " delete " + k;
            get(kv.delete(key));
            model.remove(key);
        } else if (op < 65) {
            boolean right = random.nextBoolean();
            byte[] expected = right ? model.get(key) : "nope".getBytes(StandardCharsets.UTF_8);
            what = "n" + (gw + 1) + " cput " + k + (right ? " (expecting the current value)" : " (expecting a wrong one)");
            try {
                get(kv.conditionalPut(key, value, expected));
                assertThat(right).as(what + " succeeded").isTrue();
                model.put(key, value);
            } catch (ExecutionException e) {
                assertThat(right).as(what + " failed: " + e.getCause()).isFalse();
                assertThat(((KvException) e.getCause()).kind()).isEqualTo(ErrorKind.CONDITION_FAILED);
            }
        } else if (op < 72) {
            byte[] counter = ("user/counter" + random.nextInt(3)).getBytes(StandardCharsets.UTF_8);
            long delta = random.nextInt(-5, 6);
            what = "n" + (gw + 1) + " inc " + s(counter) + " " + delta;
            long got = get(kv.increment(counter, delta));
            long before = model.containsKey(counter) ? ByteBuffer.wrap(model.get(counter)).getLong() : 0;
            assertThat(got).as(what).isEqualTo(before + delta);
            model.put(counter, ByteBuffer.allocate(8).putLong(got).array());
        } else if (op < 90) {
            byte[] end = key(random.nextInt(60));
            byte[] start = Arrays.compareUnsigned(key, end) <= 0 ? key : end;
            byte[] stop = Arrays.compareUnsigned(key, end) <= 0 ? end : key;
            stop = Arrays.copyOf(stop, stop.length + 1);
            long limit = random.nextInt(4) == 0 ? 1 + random.nextInt(5) : 0;
            what = "n" + (gw + 1) + " scan [" + s(start) + ", " + s(stop) + ") limit " + limit;
            List<KeyValue> rows = get(kv.scan(start, stop, limit));
            List<String> expected = new ArrayList<>();
            for (Map.Entry<byte[], byte[]> e : model.subMap(start, true, stop, false).entrySet()) {
                if (limit == 0 || expected.size() < limit) {
                    expected.add(s(e.getKey()) + "=" + hex(e.getValue()));
                }
            }
            assertThat(rows.stream().map(r -> s(r.getKey().toByteArray()) + "=" + hex(r.getValue().toByteArray())).toList())
                    .as(what).isEqualTo(expected);
        } else {
            what = "n" + (gw + 1) + " split at " + k;
            try {
                BatchResponse r = get(kv.batch(BatchRequest.newBuilder().addRequests(RequestUnion.newBuilder()
                        .setAdminSplit(AdminSplitRequest.newBuilder().setSplitKey(ByteString.copyFrom(key)))).build()));
                assertThat(r.hasError()).as(what + ": " + r.getError().getMessage()).isFalse();
            } catch (ExecutionException e) {
                // Splitting where a range already starts is refused; nothing else may fail.
                assertThat(e.getCause()).as(what).isInstanceOf(KvException.class);
                assertThat(((KvException) e.getCause()).kind()).as(what + ": " + e.getCause()).isEqualTo(ErrorKind.INVALID_ARGUMENT);
                assertThat(e.getCause().getMessage()).contains("already starts at");
            }
        }
        return what;
    }

    private static void settle(LocalCluster c, int down, NavigableMap<byte[], byte[]> model, byte[] key) throws Exception {
        int gw = down == 0 ? 1 : 0;
        List<byte[]> keys = new ArrayList<>(List.of(key));
        for (int i = 0; i < 3; i++) {
            keys.add(("user/counter" + i).getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] k : keys) {
            byte[] v = k.length > 5 && s(k).startsWith("user/counter") ? ByteBuffer.allocate(8).putLong(1000).array()
                    : "settled".getBytes(StandardCharsets.UTF_8);
            for (int attempt = 0; ; attempt++) {
                try {
                    get(c.kv(gw).put(k, v));
                    model.put(k, v);
                    break;
                } catch (ExecutionException e) {
                    if (attempt > 5) {
                        throw e;
                    }
                }
            }
        }
    }

    private static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static byte[] key(int n) {
        return String.format("user/k%02d", n).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    private static List<String> tail(List<String> log) {
        return log.subList(Math.max(0, log.size() - 10), log.size());
    }
}
