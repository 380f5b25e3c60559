package dev.meridian.storage.mvcc;

import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.memory.InMemoryEngine;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random histories of committed puts and deletes at random timestamps, checked against a simple
 * model (key -> versions by timestamp): writes succeed or are too old exactly when the model
 * says, reads and scans at random timestamps agree with it, paging with resume spans returns
 * the same rows as one scan, GC keeps every read at or above its threshold unchanged, and the
 * incremental stats always equal a recomputation.
 */
class MvccModelPropertyTest {

    /** Keys that stress the escaping: the empty key, zero bytes, prefixes of each other, 0xFF. */
    private static final byte[][] KEYS = {
            {}, {0}, {0, 0}, {0, 1}, {1}, {'a'}, {'a', 0}, {'a', 'b'}, {'a', (byte) 0xFF}, {'b'}, {(byte) 0xFF},
    };

    /** One write: key index, timestamp (wall, logical), value (null: delete). */
    record Write(int key, Timestamp ts, byte[] value) {
    }

    @Provide
    Arbitrary<List<Write>> histories() {
        Arbitrary<Integer> key = Arbitraries.integers().between(0, KEYS.length - 1);
        Arbitrary<Timestamp> ts = timestamps();
        Arbitrary<byte[]> value = Arbitraries.bytes().array(byte[].class).ofMaxSize(6).injectNull(0.25);
        return Combinators.combine(key, ts, value).as(Write::new).list().ofMaxSize(40);
    }

    private static Arbitrary<Timestamp> timestamps() {
        return Combinators.combine(Arbitraries.longs().between(1, 30), Arbitraries.integers().between(0, 2))
                .as(Timestamp::new);
    }

    /** The model: per key, versions by timestamp ({@code null} value: tombstone). */
    private static final class Model {
        final TreeMap<byte[], TreeMap<Timestamp, byte[]>> keys = new TreeMap<>(Arrays::compareUnsigned);

        Timestamp newest(byte[] key) {
            TreeMap<Timestamp, byte[]> v = keys.get(key);
            return v == null ? null : v.lastKey();
        }

        /** The visible value at ts, or null. */
        byte[] read(byte[] key, Timestamp ts) {
            TreeMap<Timestamp, byte[]> v = keys.get(key);
            if (v == null) {
                return null;
            }
            Map.Entry<Timestamp, byte[]> e = v.floorEntry(ts);
            return e == null ? null : e.getValue();
        }

        List<String> scan(byte[] start, byte[] end, Timestamp ts, boolean reverse) {
            List<String> rows = new ArrayList<>();
            NavigableMap<byte[], TreeMap<Timestamp, byte[]>> span = end == null ? keys.tailMap(start, true)
                    : keys.subMap(start, true, end, false);
            for (byte[] k : reverse ? span.descendingKeySet() : span.navigableKeySet()) {
                byte[] v = read(k, ts);
                if (v != null) {
                    rows.add(row(k, v));
                }
            }
            return rows;
        }
    }

    private static String row(byte[] k, byte[] v) {
        return Arrays.toString(k) + "=" + Arrays.toString(v);
    }

    @Property(tries = 150)
    void committedHistoriesMatchTheModel(@ForAll("histories") List<Write> history,
                                         @ForAll @Size(5) List<@IntRange(min = 0, max = 32) Integer> readTimes,
                                         @ForAll @IntRange(min = 0, max = 4) int limit,
                                         @ForAll @IntRange(min = 0, max = 32) int gcThreshold) {
        try (Engine engine = new InMemoryEngine()) {
            Model model = new Model();
            MvccStats stats = new MvccStats();
            for (Write w : history) {
                apply(engine, model, stats, w);
            }
            for (int t : readTimes) {
                checkReads(engine, model, Timestamp.ofWall(t), limit);
            }
            Timestamp threshold = Timestamp.ofWall(gcThreshold);
            try (ReadWriteBatch b = engine.newReadWriteBatch()) {
                Mvcc.garbageCollectRange(b, stats, new byte[0], null, threshold);
                engine.write(b, Durability.SYNCED);
            }
            assertThat(Mvcc.computeStats(engine, new byte[0], null)).isEqualTo(stats);
            for (int t : readTimes) {
                if (t >= gcThreshold) {
                    checkReads(engine, model, Timestamp.ofWall(t), limit);
                }
            }
        }
    }

    private static void apply(Engine engine, Model model, MvccStats stats, Write w) {
        byte[] key = KEYS[w.key()];
        Timestamp newest = model.newest(key);
        try (ReadWriteBatch b = engine.newReadWriteBatch()) {
            WriteOptions o = WriteOptions.at(w.ts());
            WriteResult r = w.value() == null ? Mvcc.delete(b, stats, key, o) : Mvcc.put(b, stats, key, w.value(), o);
            if (newest != null && w.ts().lessEq(newest)) {
                assertThat(r.status()).isEqualTo(WriteResult.Status.WRITE_TOO_OLD);
                assertThat(r.timestamp()).isEqualTo(newest.next());
                assertThat(b.isEmpty()).isTrue();
                return;
            }
            assertThat(r.status()).isEqualTo(WriteResult.Status.OK);
            assertThat(r.timestamp()).isEqualTo(w.ts());
            engine.write(b, Durability.SYNCED);
        }
        model.keys.computeIfAbsent(key, k -> new TreeMap<>()).put(w.ts(), w.value());
        assertThat(Mvcc.computeStats(engine, new byte[0], null)).isEqualTo(stats);
    }

    private static void checkReads(Engine engine, Model model, Timestamp ts, int limit) {
        for (byte[] key : KEYS) {
            GetResult r = Mvcc.get(engine, key, ReadOptions.at(ts));
            byte[] expected = model.read(key, ts);
            if (expected == null) {
                assertThat(r.status()).isEqualTo(GetResult.Status.NOT_FOUND);
            } else {
                assertThat(r.status()).isEqualTo(GetResult.Status.FOUND);
                assertThat(r.value()).isEqualTo(expected);
            }
        }
        for (int s = 0; s < KEYS.length; s += 3) {
            for (byte[] end : new byte[][] {null, KEYS[Math.min(KEYS.length - 1, s + 4)]}) {
                if (end != null && Arrays.compareUnsigned(KEYS[s], end) > 0) {
                    continue;
                }
                for (boolean reverse : new boolean[] {false, true}) {
                    List<String> expected = model.scan(KEYS[s], end, ts, reverse);
                    assertThat(pagedScan(engine, KEYS[s], end, ts, reverse, limit)).isEqualTo(expected);
                }
            }
        }
    }

    /** Scans the whole span in pages of {@code limit} keys (0: one page), following resume spans. */
    private static List<String> pagedScan(Engine engine, byte[] start, byte[] end, Timestamp ts, boolean reverse,
                                          int limit) {
        List<String> rows = new ArrayList<>();
        Span span = new Span(start, end);
        for (int pages = 0; span != null; pages++) {
            assertThat(pages).as("paging must terminate").isLessThan(100);
            ReadOptions o = ReadOptions.at(ts);
            ScanResult r = reverse ? Mvcc.reverseScan(engine, span.start(), span.end(), o, ScanLimits.keys(limit))
                    : Mvcc.scan(engine, span.start(), span.end(), o, ScanLimits.keys(limit));
            assertThat(r.status()).isEqualTo(ScanResult.Status.OK);
            if (limit > 0) {
                assertThat(r.rows().size()).isLessThanOrEqualTo(limit);
            }
            for (KeyValue kv : r.rows()) {
                rows.add(row(kv.key(), kv.value()));
            }
            span = r.resumeSpan();
        }
        return rows;
    }
}
