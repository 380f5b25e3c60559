package dev.meridian.storage.rocksdb;

import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.EngineReader;
import dev.meridian.storage.EngineWriter;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.WriteBatch;
import dev.meridian.storage.memory.InMemoryEngine;
import io.opentelemetry.api.OpenTelemetry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random histories of writes, batches and reads run against both engines and a sorted-map model;
 * every read must give the same answer in all three. Keys come from a tiny alphabet of edge bytes
 * (0x00, 0x01, 0x7F, 0x80, 0xFF) so that collisions, prefixes and sign-sensitive orders are common.
 */
class EngineModelPropertyTest {

    sealed interface Op permits Put, Delete, DeleteRange, Get, Scan, Batch {
    }

    record Put(KeySpace space, byte[] key, byte[] value) implements Op {
        @Override
        public String toString() {
            return "put " + space + " " + hex(key) + "=" + hex(value);
        }
    }

    record Delete(KeySpace space, byte[] key) implements Op {
        @Override
        public String toString() {
            return "delete " + space + " " + hex(key);
        }
    }

    record DeleteRange(KeySpace space, byte[] start, byte[] end) implements Op {
        @Override
        public String toString() {
            return "deleteRange " + space + " [" + hex(start) + "," + hex(end) + ")";
        }
    }

    record Get(KeySpace space, byte[] key) implements Op {
        @Override
        public String toString() {
            return "get " + space + " " + hex(key);
        }
    }

    /** A scan from {@code from} (seek / seekForPrev), or from the first/last key when null. */
    record Scan(KeySpace space, byte[] lower, byte[] upper, byte[] from, boolean reverse) implements Op {
        @Override
        public String toString() {
            return "scan " + space + " [" + hex(lower) + "," + hex(upper) + ") from " + hex(from)
                    + (reverse ? " reverse" : "");
        }
    }

    /** Operations inside one batch; reads go to the batch when {@code readThrough}, else to the engine. */
    record Batch(List<Op> ops, boolean readThrough, boolean commit) implements Op {
        @Override
        public String toString() {
            return (readThrough ? "rw-" : "") + "batch" + (commit ? "" : "(discarded)") + ops;
        }
    }

    private static String hex(byte[] b) {
        return b == null ? "*" : HexFormat.of().formatHex(b);
    }

    // ---- generators --------------------------------------------------------------------------

    private static Arbitrary<byte[]> keys() {
        return Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0x7F, (byte) 0x80, (byte) 0xFF)
                .list().ofMaxSize(2)
                .map(list -> {
                    byte[] out = new byte[list.size()];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = list.get(i);
                    }
                    return out;
                });
    }

    private static Arbitrary<KeySpace> spaces() {
        return Arbitraries.of(KeySpace.MVCC, KeySpace.LOCAL);
    }

    private static Arbitrary<Op> writes() {
        Arbitrary<Op> put = Combinators.combine(spaces(), keys(), Arbitraries.bytes().array(byte[].class).ofMaxSize(3))
                .as(Put::new);
        Arbitrary<Op> delete = Combinators.combine(spaces(), keys()).as(Delete::new);
        // Mostly wide, well-ordered ranges (they delete something); some empty or inverted ones.
        Arbitrary<byte[]> starts = Arbitraries.of(new byte[0], new byte[] {0}, new byte[] {1}, new byte[] {0x7F});
        Arbitrary<byte[]> ends = Arbitraries.of(new byte[] {1}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xFF, (byte) 0xFF});
        Arbitrary<Op> deleteRange = Arbitraries.oneOf(
                Combinators.combine(spaces(), starts, ends).as(DeleteRange::new),
                Combinators.combine(spaces(), starts, ends).as(DeleteRange::new),
                Combinators.combine(spaces(), keys(), keys()).as(DeleteRange::new));
        return Arbitraries.frequencyOf(
                Tuple.of(6, put), Tuple.of(2, delete), Tuple.of(1, deleteRange));
    }

    private static Arbitrary<Op> reads() {
        Arbitrary<Op> get = Combinators.combine(spaces(), keys()).as(Get::new);
        Arbitrary<Op> scan = Combinators.combine(spaces(), keys().injectNull(0.4), keys().injectNull(0.4),
                keys().injectNull(0.5), Arbitraries.of(true, false)).as(Scan::new);
        return Arbitraries.oneOf(get, scan);
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        Arbitrary<Op> batch = Combinators.combine(Arbitraries.oneOf(writes(), reads()).list().ofMaxSize(12),
                Arbitraries.of(true, true, false), Arbitraries.of(true, true, false)).as(Batch::new);
        return Arbitraries.oneOf(writes(), reads(), batch, batch).list().ofMinSize(1).ofMaxSize(20);
    }

    // ---- the model ---------------------------------------------------------------------------

    /** A sorted map per key space, compared as unsigned bytes like the engines. */
    static final class Model {
        final Map<KeySpace, TreeMap<byte[], byte[]>> spaces = new EnumMap<>(KeySpace.class);

        Model() {
            for (KeySpace s : KeySpace.values()) {
                spaces.put(s, new TreeMap<>(Arrays::compareUnsigned));
            }
        }

        Model copy() {
            Model m = new Model();
            spaces.forEach((s, map) -> m.spaces.get(s).putAll(map));
            return m;
        }

        void apply(Op op) {
            switch (op) {
                case Put p -> spaces.get(p.space()).put(p.key(), p.value());
                case Delete d -> spaces.get(d.space()).remove(d.key());
                case DeleteRange r -> {
                    if (Arrays.compareUnsigned(r.start(), r.end()) < 0) {
                        spaces.get(r.space()).subMap(r.start(), true, r.end(), false).clear();
                    }
                }
                default -> throw new IllegalArgumentException("not a write: " + op);
            }
        }

        String read(Op op) {
            TreeMap<byte[], byte[]> map = spaces.get(spaceOf(op));
            if (op instanceof Get g) {
                return hex(map.get(g.key()));
            }
            Scan sc = (Scan) op;
            List<String> out = new ArrayList<>();
            NavigableMap<byte[], byte[]> ordered = sc.reverse() ? map.descendingMap() : map;
            ordered.forEach((k, v) -> {
                boolean inBounds = (sc.lower() == null || Arrays.compareUnsigned(k, sc.lower()) >= 0)
                        && (sc.upper() == null || Arrays.compareUnsigned(k, sc.upper()) < 0);
                boolean pastStart = sc.from() == null
                        || (sc.reverse() ? Arrays.compareUnsigned(k, sc.from()) <= 0
                        : Arrays.compareUnsigned(k, sc.from()) >= 0);
                if (inBounds && pastStart) {
                    out.add(hex(k) + "=" + hex(v));
                }
            });
            return out.toString();
        }
    }

    private static KeySpace spaceOf(Op op) {
        return op instanceof Get g ? g.space() : ((Scan) op).space();
    }

    private static String read(EngineReader reader, Op op) {
        if (op instanceof Get g) {
            return hex(reader.get(g.space(), g.key()));
        }
        Scan sc = (Scan) op;
        List<String> out = new ArrayList<>();
        try (EngineIterator it = reader.iterator(sc.space(), sc.lower(), sc.upper())) {
            if (sc.reverse()) {
                if (sc.from() == null) {
                    it.seekToLast();
                } else {
                    it.seekForPrev(sc.from());
                }
            } else if (sc.from() == null) {
                it.seekToFirst();
            } else {
                it.seek(sc.from());
            }
            for (; it.valid(); ) {
                out.add(hex(it.key()) + "=" + hex(it.value()));
                if (sc.reverse()) {
                    it.prev();
                } else {
                    it.next();
                }
            }
        }
        return out.toString();
    }

    private static void applyWrite(EngineWriter writer, Op op) {
        switch (op) {
            case Put p -> writer.put(p.space(), p.key(), p.value());
            case Delete d -> writer.delete(d.space(), d.key());
            case DeleteRange r -> writer.deleteRange(r.space(), r.start(), r.end());
            default -> throw new IllegalArgumentException("not a write: " + op);
        }
    }

    private static boolean isRead(Op op) {
        return op instanceof Get || op instanceof Scan;
    }

    // ---- the property ------------------------------------------------------------------------

    /** A put hidden by a later range deletion in the same read-through batch. */
    @net.jqwik.api.Example
    void aRangeDeletionHidesAnEarlierPutOfTheSameBatch() throws IOException {
        byte[] k = {0};
        bothEnginesAgreeWithTheModel(List.of(new Batch(List.of(
                new Put(KeySpace.MVCC, k, new byte[] {1}),
                new DeleteRange(KeySpace.MVCC, k, new byte[] {1}),
                new Get(KeySpace.MVCC, k),
                new Scan(KeySpace.MVCC, null, null, null, false)), true, true)));
    }

    @Property(tries = 100)
    void bothEnginesAgreeWithTheModel(@ForAll("histories") List<Op> history) throws IOException {
        Path dir = Files.createTempDirectory("engine-model");
        try (Engine memory = new InMemoryEngine();
             Engine rocks = RocksDbEngine.open(dir, RocksDbEngineTest.TEST_CONFIG, OpenTelemetry.noop())) {
            Model model = new Model();
            for (Op op : history) {
                model = step(List.of(memory, rocks), model, op);
            }
            for (KeySpace space : KeySpace.values()) {
                Scan all = new Scan(space, null, null, null, false);
                assertThat(read(rocks, all)).isEqualTo(read(memory, all)).isEqualTo(model.read(all));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static Model step(List<Engine> engines, Model model, Op op) {
        if (isRead(op)) {
            String expected = model.read(op);
            for (Engine e : engines) {
                assertThat(read(e, op)).as("%s on %s", op, e.getClass().getSimpleName()).isEqualTo(expected);
            }
            return model;
        }
        if (!(op instanceof Batch batch)) {
            for (Engine e : engines) {
                try (WriteBatch w = e.newWriteBatch()) {
                    applyWrite(w, op);
                    e.write(w, Durability.UNSYNCED);
                }
            }
            model.apply(op);
            return model;
        }
        Model pending = model.copy();
        List<WriteBatch> open = new ArrayList<>();
        try {
            for (Engine e : engines) {
                open.add(batch.readThrough() ? e.newReadWriteBatch() : e.newWriteBatch());
            }
            for (Op inner : batch.ops()) {
                if (isRead(inner)) {
                    Model readModel = batch.readThrough() ? pending : model;
                    for (int i = 0; i < engines.size(); i++) {
                        EngineReader reader = batch.readThrough() ? (ReadWriteBatch) open.get(i) : engines.get(i);
                        assertThat(read(reader, inner)).as("%s in %s", inner, batch).isEqualTo(readModel.read(inner));
                    }
                } else {
                    open.forEach(w -> applyWrite(w, inner));
                    pending.apply(inner);
                }
            }
            if (!batch.commit()) {
                return model;
            }
            for (int i = 0; i < engines.size(); i++) {
                engines.get(i).write(open.get(i), Durability.UNSYNCED);
            }
            return pending;
        } finally {
            open.forEach(WriteBatch::close);
        }
    }
}
