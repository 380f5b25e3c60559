package dev.meridian.storage.mvcc;

import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.memory.InMemoryEngine;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A forward scan steps from key to key with next() and falls back to a seek only when a key has
 * many old versions; both paths must give the same rows.
 */
class MvccScanStepsTest {

    @Test
    void keysWithFewAndManyVersionsScanAlike() {
        try (Engine engine = new InMemoryEngine()) {
            MvccStats stats = new MvccStats();
            for (int ts = 1; ts <= 12; ts++) {
                put(engine, stats, "many", "m" + ts, ts);      // more versions than the step budget
            }
            put(engine, stats, "a", "a1", 1);
            put(engine, stats, "one", "o3", 3);
            put(engine, stats, "two", "t2", 2);
            put(engine, stats, "two", "t7", 7);
            put(engine, stats, "zz", "z1", 1);
            for (int at : List.of(1, 2, 5, 7, 12, 30)) {
                List<String> forward = rows(Mvcc.scan(engine, b("a"), null, ReadOptions.at(Timestamp.ofWall(at)),
                        ScanLimits.NONE));
                List<String> reverse = rows(Mvcc.reverseScan(engine, b("a"), null, ReadOptions.at(Timestamp.ofWall(at)),
                        ScanLimits.NONE));
                assertThat(forward).as("at %d", at).isEqualTo(expected(at));
                assertThat(reverse).as("reverse at %d", at).isEqualTo(expected(at).reversed());
            }
        }
    }

    private static List<String> expected(int at) {
        List<String> out = new java.util.ArrayList<>();
        out.add("a=a1");
        out.add("many=m" + Math.min(at, 12));
        if (at >= 3) {
            out.add("one=o3");
        }
        if (at >= 2) {
            out.add("two=" + (at >= 7 ? "t7" : "t2"));
        }
        out.add("zz=z1");
        return out;
    }

    private static List<String> rows(ScanResult r) {
        assertThat(r.status()).isEqualTo(ScanResult.Status.OK);
        return r.rows().stream().map(kv -> s(kv.key()) + "=" + s(kv.value())).toList();
    }

    private static void put(Engine engine, MvccStats stats, String k, String v, long ts) {
        try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
            assertThat(Mvcc.put(batch, stats, b(k), b(v), WriteOptions.at(Timestamp.ofWall(ts))).ok()).isTrue();
            engine.write(batch, Durability.UNSYNCED);
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
