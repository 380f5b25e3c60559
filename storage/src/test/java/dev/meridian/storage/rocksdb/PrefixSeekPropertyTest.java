package dev.meridian.storage.rocksdb;

import dev.meridian.storage.Durability;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.WriteBatch;
import io.opentelemetry.api.OpenTelemetry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MVCC probes bounded within one prefix run in RocksDB's prefix mode (see
 * {@link RocksDbEngine#withinOnePrefix}); every other iterator in total order. Random histories of
 * writes and flushes (so that keys sit in memtables and in SST files) are read with bounds that
 * mostly share an 8-byte prefix, sometimes not, and every scan must match a sorted-map model:
 * prefix mode may skip files, never keys.
 */
class PrefixSeekPropertyTest {

    private static final int P = RocksDbEngine.MVCC_PREFIX_BYTES;

    sealed interface Op permits Put, Delete, Flush, Scan {
    }

    record Put(byte[] key, byte[] value) implements Op {
        @Override
        public String toString() {
            return "put " + hex(key);
        }
    }

    record Delete(byte[] key) implements Op {
        @Override
        public String toString() {
            return "delete " + hex(key);
        }
    }

    record Flush() implements Op {
    }

    record Scan(byte[] lower, byte[] upper, byte[] from, boolean reverse) implements Op {
        @Override
        public String toString() {
            return "scan [" + hex(lower) + "," + hex(upper) + ") from " + hex(from) + (reverse ? " reverse" : "")
                    + (RocksDbEngine.withinOnePrefix(lower, upper) ? " (prefix mode)" : "");
        }
    }

    private static String hex(byte[] b) {
        return b == null ? "*" : HexFormat.of().formatHex(b);
    }

    // ---- generators --------------------------------------------------------------------------

    /** A few 7-byte stems, so that keys share 8-byte prefixes often and stems are neighbours. */
    private static Arbitrary<byte[]> stems() {
        return Arbitraries.of(
                new byte[] {'u', 's', 'e', 'r', 0, 0, 1},
                new byte[] {'u', 's', 'e', 'r', 0, 0, 2},
                new byte[] {'u', 's', 'e', 'r', 0, (byte) 0xFF, (byte) 0xFF},
                new byte[] {'u', 's', 'e', 's', 0, 0, 0});
    }

    private static Arbitrary<byte[]> tails(int maxSize) {
        return Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0x7F, (byte) 0x80, (byte) 0xFF)
                .list().ofMaxSize(maxSize).map(list -> {
                    byte[] out = new byte[list.size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = list.get(i);
                    }
                    return out;
                });
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Keys of 7 to 11 bytes, and now and then shorter than the prefix. */
    private static Arbitrary<byte[]> keys() {
        Arbitrary<byte[]> longKeys = Combinators.combine(stems(), tails(4)).as(PrefixSeekPropertyTest::concat);
        Arbitrary<byte[]> shortKeys = Combinators.combine(stems(), Arbitraries.integers().between(0, 7))
                .as((s, n) -> Arrays.copyOf(s, n));
        return Arbitraries.frequencyOf(Tuple.of(8, longKeys), Tuple.of(1, shortKeys));
    }

    private static Arbitrary<Op> ops() {
        Arbitrary<Op> put = Combinators.combine(keys(), Arbitraries.bytes().array(byte[].class).ofMaxSize(3)).as(Put::new);
        Arbitrary<Op> delete = keys().map(Delete::new);
        Arbitrary<Op> flush = Arbitraries.just(new Flush());
        // Bounds within one prefix: one stem, two tails (mostly ordered); else any two keys.
        Arbitrary<byte[][]> samePrefix = Combinators.combine(stems(), tails(4), tails(4), tails(1)).as((s, a, b, c) -> {
            byte[] stem = concat(s, c.length == 0 ? new byte[] {0} : c);
            byte[] lo = concat(stem, a);
            byte[] hi = concat(stem, b);
            return Arrays.compareUnsigned(lo, hi) <= 0 ? new byte[][] {lo, hi} : new byte[][] {hi, lo};
        });
        Arbitrary<byte[][]> anyBounds = Combinators.combine(keys().injectNull(0.2), keys().injectNull(0.2))
                .as((a, b) -> new byte[][] {a, b});
        Arbitrary<byte[][]> bounds = Arbitraries.frequencyOf(Tuple.of(4, samePrefix), Tuple.of(1, anyBounds));
        Arbitrary<Op> scan = Combinators.combine(bounds, keys().injectNull(0.5), Arbitraries.of(true, false))
                .as((b, from, reverse) -> new Scan(b[0], b[1], from, reverse));
        return Arbitraries.frequencyOf(Tuple.of(5, put), Tuple.of(1, delete), Tuple.of(1, flush), Tuple.of(4, scan));
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        return ops().list().ofMinSize(1).ofMaxSize(40);
    }

    // ---- the property ------------------------------------------------------------------------

    @Property(tries = 150)
    void prefixModeScansReadWhatTotalOrderScansRead(@ForAll("histories") List<Op> history) throws IOException {
        run(history);
    }

    /** Keys of one prefix in a flushed file and in the memtable, read both ways, plus a neighbour prefix. */
    @Example
    void aPrefixSpreadOverAFileAndTheMemtable() throws IOException {
        byte[] stem = {'u', 's', 'e', 'r', 0, 0, 1, 5};
        byte[] other = {'u', 's', 'e', 'r', 0, 0, 1, 6};
        byte[] upper = concat(stem, new byte[] {(byte) 0xFF});
        assertThat(RocksDbEngine.withinOnePrefix(stem, upper)).isTrue();
        assertThat(RocksDbEngine.withinOnePrefix(stem, other)).isFalse();
        assertThat(RocksDbEngine.withinOnePrefix(Arrays.copyOf(stem, P - 1), upper)).isFalse();
        run(List.of(
                new Put(concat(stem, new byte[] {1}), new byte[] {1}),
                new Put(concat(other, new byte[] {1}), new byte[] {9}),
                new Flush(),
                new Put(concat(stem, new byte[] {2}), new byte[] {2}),
                new Put(concat(stem, new byte[] {0}), new byte[] {0}),
                new Scan(stem, upper, null, false),
                new Scan(stem, upper, null, true),
                new Scan(stem, upper, concat(stem, new byte[] {1}), false),
                new Scan(stem, upper, concat(stem, new byte[] {1, 0}), true),
                new Scan(stem, concat(other, new byte[] {2}), null, false)));
    }

    private static void run(List<Op> history) throws IOException {
        Path dir = Files.createTempDirectory("prefix-seek");
        try (RocksDbEngine rocks = RocksDbEngine.open(dir, RocksDbEngineTest.TEST_CONFIG, OpenTelemetry.noop())) {
            TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
            for (Op op : history) {
                switch (op) {
                    case Put p -> {
                        write(rocks, w -> w.put(KeySpace.MVCC, p.key(), p.value()));
                        model.put(p.key(), p.value());
                    }
                    case Delete d -> {
                        write(rocks, w -> w.delete(KeySpace.MVCC, d.key()));
                        model.remove(d.key());
                    }
                    case Flush f -> rocks.flush();
                    case Scan s -> {
                        // Twice: the second read reuses the pooled (refreshed) iterator.
                        assertThat(read(rocks, s)).as("%s after %s", s, history).isEqualTo(expected(model, s));
                        assertThat(read(rocks, s)).as("%s again", s).isEqualTo(expected(model, s));
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void write(RocksDbEngine engine, java.util.function.Consumer<WriteBatch> ops) {
        try (WriteBatch w = engine.newWriteBatch()) {
            ops.accept(w);
            engine.write(w, Durability.UNSYNCED);
        }
    }

    private static List<String> expected(TreeMap<byte[], byte[]> model, Scan s) {
        List<String> out = new ArrayList<>();
        NavigableMap<byte[], byte[]> ordered = s.reverse() ? model.descendingMap() : model;
        ordered.forEach((k, v) -> {
            boolean inBounds = (s.lower() == null || Arrays.compareUnsigned(k, s.lower()) >= 0)
                    && (s.upper() == null || Arrays.compareUnsigned(k, s.upper()) < 0);
            boolean pastStart = s.from() == null || (s.reverse() ? Arrays.compareUnsigned(k, s.from()) <= 0
                    : Arrays.compareUnsigned(k, s.from()) >= 0);
            if (inBounds && pastStart) {
                out.add(hex(k) + "=" + hex(v));
            }
        });
        return out;
    }

    private static List<String> read(RocksDbEngine engine, Scan s) {
        List<String> out = new ArrayList<>();
        try (EngineIterator it = engine.probe(KeySpace.MVCC, s.lower(), s.upper())) {
            if (s.reverse()) {
                if (s.from() == null) {
                    it.seekToLast();
                } else {
                    it.seekForPrev(s.from());
                }
            } else if (s.from() == null) {
                it.seekToFirst();
            } else {
                it.seek(s.from());
            }
            while (it.valid()) {
                out.add(hex(it.key()) + "=" + hex(it.value()));
                if (s.reverse()) {
                    it.prev();
                } else {
                    it.next();
                }
            }
        }
        return out;
    }
}
