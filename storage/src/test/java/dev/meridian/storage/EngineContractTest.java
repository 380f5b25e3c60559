package dev.meridian.storage;

import dev.meridian.storage.memory.InMemoryEngine;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link Engine} must show. Extended once per implementation (and shared
 * with later modules through the storage test-jar), so that the RocksDB engine nodes run and the
 * in-memory engine the simulator runs cannot drift apart.
 *
 * <p>Implementations extend this class and provide {@link #newEngine}; read-through batches,
 * limits and closing are tested in {@link EngineBatchContract}, which this class extends.
 */
public abstract class EngineContractTest extends EngineBatchContract {

    // ---- point reads and writes --------------------------------------------------------------

    @Test
    void putGetDeleteInEveryKeySpace() {
        Engine engine = engine();
        for (KeySpace space : KeySpace.values()) {
            assertThat(engine.get(space, s("k"))).isNull();
            put(engine, space, "k", "v-" + space);
            assertThat(engine.get(space, s("k"))).isEqualTo(s("v-" + space));
        }
        for (KeySpace space : KeySpace.values()) {
            write(engine, w -> w.delete(space, s("k")));
            assertThat(engine.get(space, s("k"))).isNull();
            for (KeySpace other : KeySpace.values()) {
                if (other.ordinal() > space.ordinal()) {
                    assertThat(engine.get(other, s("k"))).isEqualTo(s("v-" + other));
                }
            }
        }
    }

    @Test
    void keySpacesAreIsolated() {
        Engine engine = engine();
        put(engine, KeySpace.MVCC, "a", "mvcc");
        assertThat(engine.get(KeySpace.LOCAL, s("a"))).isNull();
        assertThat(engine.get(KeySpace.RAFT_LOG, s("a"))).isNull();
        assertThat(scan(engine, KeySpace.LOCAL)).isEmpty();
        assertThat(scan(engine, KeySpace.MVCC)).containsExactly("a=mvcc");
    }

    @Test
    void overwriteKeepsTheLastValueAndDeletingAnAbsentKeyIsFine() {
        Engine engine = engine();
        put(engine, KeySpace.MVCC, "k", "1");
        write(engine, w -> {
            w.put(KeySpace.MVCC, s("k"), s("2"));
            w.put(KeySpace.MVCC, s("k"), s("3"));
            w.delete(KeySpace.MVCC, s("absent"));
        });
        assertThat(engine.get(KeySpace.MVCC, s("k"))).isEqualTo(s("3"));
        assertThat(engine.get(KeySpace.MVCC, s("absent"))).isNull();
    }

    @Test
    void emptyKeysAndValuesAndBinaryBytesAreStored() {
        Engine engine = engine();
        write(engine, w -> {
            w.put(KeySpace.MVCC, new byte[0], s("empty key"));
            w.put(KeySpace.MVCC, b(0, 0xFF, 0), new byte[0]);
        });
        assertThat(engine.get(KeySpace.MVCC, new byte[0])).isEqualTo(s("empty key"));
        assertThat(engine.get(KeySpace.MVCC, b(0, 0xFF, 0))).isEqualTo(new byte[0]);
        assertThat(engine.get(KeySpace.MVCC, b(0, 0xFF))).isNull();
    }

    @Test
    void arraysAreCopiedInAndOut() {
        Engine engine = engine();
        byte[] key = s("k");
        byte[] value = s("v");
        try (WriteBatch batch = engine.newWriteBatch()) {
            batch.put(KeySpace.MVCC, key, value);
            key[0] = 'x';
            value[0] = 'x';
            engine.write(batch, Durability.UNSYNCED);
        }
        byte[] read = engine.get(KeySpace.MVCC, s("k"));
        assertThat(read).isEqualTo(s("v"));
        read[0] = 'y';
        assertThat(engine.get(KeySpace.MVCC, s("k"))).isEqualTo(s("v"));
        try (EngineIterator it = engine.iterator(KeySpace.MVCC, null, null)) {
            it.seekToFirst();
            it.key()[0] = 'z';
            it.value()[0] = 'z';
            assertThat(it.key()).isEqualTo(s("k"));
            assertThat(it.value()).isEqualTo(s("v"));
        }
    }

    // ---- order and iteration -----------------------------------------------------------------

    @Test
    void keysSortAsUnsignedBytesShorterPrefixFirst() {
        Engine engine = engine();
        List<byte[]> sorted = List.of(new byte[0], b(0x00), b(0x00, 0x00), b(0x00, 0x01), b(0x01), b(0x01, 0xFF),
                b(0x7F), b(0x7F, 0xFF, 0xFF), b(0x80), b(0x80, 0x00), b(0xFE), b(0xFF), b(0xFF, 0x00), b(0xFF, 0xFF));
        List<byte[]> shuffled = new ArrayList<>(sorted);
        java.util.Collections.shuffle(shuffled, new java.util.Random(7));
        write(engine, w -> shuffled.forEach(k -> w.put(KeySpace.MVCC, k, k)));
        List<String> expected = sorted.stream().map(EngineContractSupport::hex).toList();
        List<String> forward = new ArrayList<>();
        List<String> backward = new ArrayList<>();
        try (EngineIterator it = engine.iterator(KeySpace.MVCC, null, null)) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                forward.add(hex(it.key()));
            }
            for (it.seekToLast(); it.valid(); it.prev()) {
                backward.add(hex(it.key()));
            }
        }
        assertThat(forward).containsExactlyElementsOf(expected);
        assertThat(backward).containsExactlyElementsOf(expected.reversed());
        try (EngineIterator it = engine.iterator(KeySpace.MVCC, b(0x7F, 0xFF), b(0xFF))) {
            it.seekToFirst();
            assertThat(hex(it.key())).isEqualTo("7fffff");
            it.seekToLast();
            assertThat(hex(it.key())).isEqualTo("fe");
        }
    }

    @Test
    void iteratesForwardAndBackwardWithAndWithoutBounds() {
        Engine engine = engineWith("a", "b", "c", "d", "e");
        assertThat(scan(engine, KeySpace.MVCC, null, null, false)).containsExactly("a=A", "b=B", "c=C", "d=D", "e=E");
        assertThat(scan(engine, KeySpace.MVCC, null, null, true)).containsExactly("e=E", "d=D", "c=C", "b=B", "a=A");
        assertThat(scan(engine, KeySpace.MVCC, s("b"), s("d"), false)).containsExactly("b=B", "c=C");
        assertThat(scan(engine, KeySpace.MVCC, s("b"), s("d"), true)).containsExactly("c=C", "b=B");
        assertThat(scan(engine, KeySpace.MVCC, s("bb"), null, false)).containsExactly("c=C", "d=D", "e=E");
        assertThat(scan(engine, KeySpace.MVCC, null, s("bb"), true)).containsExactly("b=B", "a=A");
        assertThat(scan(engine, KeySpace.MVCC, s("c"), s("c"), false)).isEmpty();
        assertThat(scan(engine, KeySpace.MVCC, s("d"), s("b"), false)).isEmpty();
        assertThat(scan(engine, KeySpace.MVCC, s("d"), s("b"), true)).isEmpty();
        assertThat(scan(engine, KeySpace.MVCC, s("x"), null, true)).isEmpty();
        assertThat(scan(engine(), KeySpace.MVCC, null, null, false)).isEmpty();
    }

    @Test
    void seeksLandAtBetweenBeforeAndAfterKeysAndAtBothBounds() {
        Engine engine = engineWith("b", "d", "f", "h");
        try (EngineIterator it = engine.iterator(KeySpace.MVCC, s("c"), s("g"))) {
            String[][] seeks = {{"a", "d"}, {"c", "d"}, {"d", "d"}, {"e", "f"}, {"f", "f"}, {"g", "-"}, {"z", "-"}};
            for (String[] c : seeks) {
                it.seek(s(c[0]));
                assertThat(at(it)).as("seek(%s)", c[0]).isEqualTo(c[1]);
            }
            String[][] prevSeeks = {{"z", "f"}, {"g", "f"}, {"f", "f"}, {"e", "d"}, {"d", "d"}, {"c", "-"}, {"a", "-"}};
            for (String[] c : prevSeeks) {
                it.seekForPrev(s(c[0]));
                assertThat(at(it)).as("seekForPrev(%s)", c[0]).isEqualTo(c[1]);
            }
            it.seekToFirst();
            assertThat(at(it)).isEqualTo("d");
            it.seekToLast();
            assertThat(at(it)).isEqualTo("f");
        }
        try (EngineIterator it = engine.iterator(KeySpace.MVCC, null, null)) {
            String[][] seeks = {{"", "b"}, {"a", "b"}, {"b", "b"}, {"c", "d"}, {"h", "h"}, {"i", "-"}};
            for (String[] c : seeks) {
                it.seek(s(c[0]));
                assertThat(at(it)).as("seek(%s)", c[0]).isEqualTo(c[1]);
            }
            String[][] prevSeeks = {{"", "-"}, {"a", "-"}, {"b", "b"}, {"c", "b"}, {"h", "h"}, {"z", "h"}};
            for (String[] c : prevSeeks) {
                it.seekForPrev(s(c[0]));
                assertThat(at(it)).as("seekForPrev(%s)", c[0]).isEqualTo(c[1]);
            }
        }
        // Bounds that are keys: the lower one is included, the upper one excluded.
        try (EngineIterator it = engine.iterator(KeySpace.MVCC, s("d"), s("f"))) {
            it.seekToLast();
            assertThat(at(it)).isEqualTo("d");
            it.seekForPrev(s("f"));
            assertThat(at(it)).isEqualTo("d");
            it.seek(s("d"));
            assertThat(at(it)).isEqualTo("d");
            it.next();
            assertThat(at(it)).isEqualTo("-");
        }
    }

    @Test
    void changesDirectionAnywhere() {
        Engine engine = engineWith("a", "b", "c", "d", "e");
        try (EngineIterator it = engine.iterator(KeySpace.MVCC, null, null)) {
            it.seek(s("c"));
            List<String> path = new ArrayList<>();
            it.next();
            path.add(at(it));
            it.prev();
            path.add(at(it));
            it.prev();
            path.add(at(it));
            it.next();
            path.add(at(it));
            it.next();
            it.next();
            path.add(at(it));
            it.prev();
            path.add(at(it));
            assertThat(path).containsExactly("d", "c", "b", "c", "e", "d");
            it.seekToLast();
            it.next();
            assertThat(it.valid()).isFalse();
            it.seekToFirst();
            it.prev();
            assertThat(it.valid()).isFalse();
        }
        try (EngineIterator it = engine.iterator(KeySpace.MVCC, s("b"), s("e"))) {
            it.seekToLast();
            assertThat(at(it)).isEqualTo("d");
            it.prev();
            it.prev();
            assertThat(at(it)).isEqualTo("b");
            it.next();
            assertThat(at(it)).isEqualTo("c");
            it.prev();
            it.prev();
            assertThat(at(it)).isEqualTo("-");
        }
    }

    @Test
    void anUnpositionedIteratorRefusesToMoveOrRead() {
        Engine engine = engineWith("a");
        try (EngineIterator it = engine.iterator(KeySpace.MVCC, null, null)) {
            assertThat(it.valid()).isFalse();
            assertThatThrownBy(it::key).isInstanceOf(StorageException.class);
            it.seek(s("b"));
            assertThat(it.valid()).isFalse();
            assertThatThrownBy(it::value).isInstanceOf(StorageException.class);
            assertThatThrownBy(it::next).isInstanceOf(StorageException.class);
            assertThatThrownBy(it::prev).isInstanceOf(StorageException.class);
            it.seekToFirst();
            assertThat(at(it)).isEqualTo("a");
        }
    }

    @Test
    void anIteratorSeesTheStateOfItsCreation() {
        Engine engine = engineWith("a", "c", "e");
        try (EngineIterator it = engine.iterator(KeySpace.MVCC, null, null)) {
            write(engine, w -> {
                w.put(KeySpace.MVCC, s("b"), s("new"));
                w.delete(KeySpace.MVCC, s("c"));
                w.put(KeySpace.MVCC, s("e"), s("changed"));
            });
            List<String> seen = new ArrayList<>();
            for (it.seekToFirst(); it.valid(); it.next()) {
                seen.add(text(it.key()) + "=" + text(it.value()));
            }
            assertThat(seen).containsExactly("a=A", "c=C", "e=E");
        }
        assertThat(scan(engine, KeySpace.MVCC)).containsExactly("a=A", "b=new", "e=changed");
    }

    // ---- batches, atomicity, snapshots ---------------------------------------------------------

    @Test
    void aBatchIsInvisibleUntilWrittenAndCountsItsOperations() {
        Engine engine = engine();
        try (WriteBatch batch = engine.newWriteBatch()) {
            assertThat(batch.isEmpty()).isTrue();
            engine.write(batch, Durability.SYNCED);
            batch.put(KeySpace.MVCC, s("k1"), s("v1"));
            batch.put(KeySpace.LOCAL, s("k2"), s("value2"));
            batch.delete(KeySpace.MVCC, s("k3"));
            batch.deleteRange(KeySpace.MVCC, s("x"), s("y"));
            assertThat(batch.count()).isEqualTo(4);
            assertThat(batch.byteSize()).isEqualTo(2 + 2 + 2 + 6 + 2 + 1 + 1);
            assertThat(engine.get(KeySpace.MVCC, s("k1"))).isNull();
            engine.write(batch, Durability.SYNCED);
            assertThat(engine.get(KeySpace.MVCC, s("k1"))).isEqualTo(s("v1"));
            assertThat(engine.get(KeySpace.LOCAL, s("k2"))).isEqualTo(s("value2"));
        }
    }

    @Test
    void aBatchFromAnotherEngineIsRefused() {
        Engine engine = engine();
        Engine other = engine();
        try (WriteBatch foreign = other.newWriteBatch()) {
            foreign.put(KeySpace.MVCC, s("k"), s("v"));
            assertThatThrownBy(() -> engine.write(foreign, Durability.UNSYNCED))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(engine.get(KeySpace.MVCC, s("k"))).isNull();
    }

    @Test
    void deleteRangeRemovesExactlyTheHalfOpenSpanOfOneKeySpace() {
        Engine engine = engineWith("a", "b", "c", "d", "e");
        put(engine, KeySpace.LOCAL, "b", "local");
        write(engine, w -> w.deleteRange(KeySpace.MVCC, s("b"), s("d")));
        assertThat(scan(engine, KeySpace.MVCC)).containsExactly("a=A", "d=D", "e=E");
        assertThat(scan(engine, KeySpace.LOCAL)).containsExactly("b=local");
        write(engine, w -> w.deleteRange(KeySpace.MVCC, s("d"), s("d")));
        write(engine, w -> w.deleteRange(KeySpace.MVCC, s("e"), s("a")));
        assertThat(scan(engine, KeySpace.MVCC)).containsExactly("a=A", "d=D", "e=E");
        write(engine, w -> {
            w.deleteRange(KeySpace.MVCC, new byte[0], s("z"));
            w.put(KeySpace.MVCC, s("d"), s("again"));
        });
        assertThat(scan(engine, KeySpace.MVCC)).containsExactly("d=again");
        write(engine, w -> {
            w.put(KeySpace.MVCC, s("c"), s("C"));
            w.deleteRange(KeySpace.MVCC, s("c"), s("e"));
        });
        assertThat(scan(engine, KeySpace.MVCC)).isEmpty();
    }

    @Test
    void aSnapshotIgnoresLaterWritesInEveryKeySpace() {
        Engine engine = engineWith("a", "b");
        put(engine, KeySpace.LOCAL, "l", "1");
        try (EngineSnapshot snapshot = engine.newSnapshot()) {
            write(engine, w -> {
                w.put(KeySpace.MVCC, s("a"), s("new"));
                w.delete(KeySpace.MVCC, s("b"));
                w.put(KeySpace.MVCC, s("c"), s("C"));
                w.put(KeySpace.LOCAL, s("l"), s("2"));
                w.put(KeySpace.RAFT_LOG, s("r"), s("1"));
            });
            assertThat(snapshot.get(KeySpace.MVCC, s("a"))).isEqualTo(s("A"));
            assertThat(snapshot.get(KeySpace.MVCC, s("b"))).isEqualTo(s("B"));
            assertThat(snapshot.get(KeySpace.MVCC, s("c"))).isNull();
            assertThat(snapshot.get(KeySpace.LOCAL, s("l"))).isEqualTo(s("1"));
            assertThat(scan(snapshot, KeySpace.MVCC)).containsExactly("a=A", "b=B");
            assertThat(scan(snapshot, KeySpace.MVCC, s("b"), null, true)).containsExactly("b=B");
            assertThat(scan(snapshot, KeySpace.RAFT_LOG)).isEmpty();
            assertThat(scan(engine, KeySpace.MVCC)).containsExactly("a=new", "c=C");
        }
    }

    @Test
    void aSnapshotIteratorOutlivesItsSnapshot() {
        Engine engine = engineWith("a", "b");
        EngineSnapshot snapshot = engine.newSnapshot();
        try (EngineIterator it = snapshot.iterator(KeySpace.MVCC, null, null)) {
            snapshot.close();
            put(engine, KeySpace.MVCC, "a", "new");
            it.seekToFirst();
            assertThat(it.value()).isEqualTo(s("A"));
            it.next();
            assertThat(at(it)).isEqualTo("b");
        }
        assertThatThrownBy(() -> snapshot.get(KeySpace.MVCC, s("a"))).isInstanceOf(StorageException.class);
    }

    private static final int GENERATION_KEYS = 16;

    /**
     * A writer installs generations of {@link #GENERATION_KEYS} keys that all carry the same
     * generation number; readers must never see two generations mixed (half a batch).
     */
    @Test
    void concurrentReadersNeverSeeHalfABatch() throws Exception {
        Engine engine = engine();
        int generations = 300;
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (long g = 1; g <= generations; g++) {
                    writeGeneration(engine, g);
                }
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                done.set(true);
            }
        });
        writer.start();
        long lastSeen = 0;
        for (int checks = 0; !done.get() || checks < 10; checks++) {
            List<Long> fromSnapshot;
            try (EngineSnapshot snapshot = engine.newSnapshot()) {
                fromSnapshot = generationsByGet(snapshot);
            }
            assertThat(fromSnapshot).as("snapshot sees one whole generation").containsOnly(fromSnapshot.get(0));
            List<Long> fromIterator = generationsByScan(engine);
            if (!fromIterator.isEmpty()) {
                assertThat(fromIterator).as("iterator sees one whole generation").hasSize(GENERATION_KEYS)
                        .containsOnly(fromIterator.get(0));
            }
            assertThat(fromSnapshot.get(0)).as("generations never go back").isGreaterThanOrEqualTo(lastSeen);
            lastSeen = fromSnapshot.get(0);
        }
        writer.join();
        assertThat(failure.get()).isNull();
        assertThat(generationsByGet(engine)).containsOnly((long) generations);
    }

    private static byte[] generationKey(int k) {
        return s("key" + (char) ('a' + k));
    }

    private static void writeGeneration(Engine engine, long generation) {
        byte[] value = ByteBuffer.allocate(8).putLong(generation).array();
        write(engine, w -> {
            for (int k = 0; k < GENERATION_KEYS; k++) {
                w.put(KeySpace.MVCC, generationKey(k), value);
            }
        });
    }

    /** The generation of every key (0 when absent), read key by key. */
    private static List<Long> generationsByGet(EngineReader reader) {
        List<Long> out = new ArrayList<>();
        for (int k = 0; k < GENERATION_KEYS; k++) {
            byte[] v = reader.get(KeySpace.MVCC, generationKey(k));
            out.add(v == null ? 0L : ByteBuffer.wrap(v).getLong());
        }
        return out;
    }

    private static List<Long> generationsByScan(EngineReader reader) {
        List<Long> out = new ArrayList<>();
        try (EngineIterator it = reader.iterator(KeySpace.MVCC, null, null)) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                out.add(ByteBuffer.wrap(it.value()).getLong());
            }
        }
        return out;
    }

    // ---- sizes -------------------------------------------------------------------------------

    @Test
    void approximateSizeGrowsWithDataAndIsAboutZeroForAnEmptySpan() {
        Engine engine = engine();
        assertThat(engine.approximateSize(KeySpace.MVCC, s("a"), s("z"))).isLessThan(1024);
        byte[] value = new byte[100];
        Arrays.fill(value, (byte) 7);
        for (int round = 0; round < 4; round++) {
            int from = round * 500;
            write(engine, w -> {
                for (int i = from; i < from + 500; i++) {
                    w.put(KeySpace.MVCC, s(String.format("m%05d", i)), value);
                }
            });
        }
        long beforeFlush = engine.approximateSize(KeySpace.MVCC, s("m"), s("n"));
        assertThat(beforeFlush).isGreaterThan(20_000);
        flush(engine);
        long afterFlush = engine.approximateSize(KeySpace.MVCC, s("m"), s("n"));
        assertThat(afterFlush).isGreaterThan(20_000);
        assertThat(engine.approximateSize(KeySpace.MVCC, s("m"), s("m01000")))
                .isLessThan(afterFlush);
        assertThat(engine.approximateSize(KeySpace.MVCC, s("x"), s("z"))).isLessThan(1024);
        assertThat(engine.approximateSize(KeySpace.LOCAL, s("m"), s("n"))).isLessThan(1024);
        assertThat(engine.approximateSize(KeySpace.MVCC, s("n"), s("m"))).isZero();
    }

    // ---- the portable encoding ----------------------------------------------------------------

    @Test
    void encodedBatchesAreTheSameOnEveryEngineAndApplyAcrossEngines() {
        Engine engine = engine();
        Engine reference = closeLater(new InMemoryEngine());
        byte[] ours;
        byte[] theirs;
        try (WriteBatch batch = engine.newWriteBatch(); WriteBatch refBatch = reference.newWriteBatch()) {
            mixedOps(batch);
            mixedOps(refBatch);
            ours = batch.encode();
            theirs = refBatch.encode();
            assertThat(batch.count()).isEqualTo(refBatch.count());
            assertThat(batch.byteSize()).isEqualTo(refBatch.byteSize());
        }
        assertThat(hex(ours)).isEqualTo(hex(theirs));
        Engine viaNative = engine();
        write(viaNative, EngineContractSupport::mixedOps);
        engine.writeEncoded(theirs, Durability.SYNCED);
        reference.writeEncoded(ours, Durability.SYNCED);
        assertThat(dump(engine)).isEqualTo(dump(reference)).isEqualTo(dump(viaNative))
                .containsExactly("RAFT_LOG:000001=ff", "MVCC:63=33", "MVCC:64=", "LOCAL:62=" + hex(s("local")));
    }

    /** A checksum-valid batch whose one deletion carries a value: not canonical, refused. */
    private static byte[] deletionWithAValue() {
        byte[] body = {0x4D, 1, 1, (byte) BatchOp.Kind.DELETE.ordinal(), (byte) KeySpace.MVCC.ordinal(), 1, 'a', 1, 'v'};
        byte[] out = Arrays.copyOf(body, body.length + 4);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        ByteBuffer.wrap(out, body.length, 4).putInt((int) crc.getValue());
        return out;
    }

    @Test
    void damagedEncodedBatchesAreRefusedWholeAndApplyNothing() {
        Engine engine = engineWith("a", "b");
        List<String> before = dump(engine);
        byte[] good;
        try (WriteBatch batch = engine.newWriteBatch()) {
            mixedOps(batch);
            good = batch.encode();
        }
        List<byte[]> bad = new ArrayList<>();
        for (int len = 0; len < good.length; len++) {
            bad.add(Arrays.copyOf(good, len));
        }
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] flipped = good.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            bad.add(flipped);
        }
        bad.add(withVersion(good, 2));
        bad.add(deletionWithAValue());
        bad.add(withVersion(good, 0));
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        bad.add(trailing);
        for (byte[] encoded : bad) {
            assertThatThrownBy(() -> engine.writeEncoded(encoded, Durability.SYNCED))
                    .as("encoded %s", hex(encoded))
                    .isInstanceOf(CorruptionException.class);
        }
        assertThatThrownBy(() -> engine.writeEncoded(withVersion(good, 2), Durability.SYNCED))
                .hasMessageContaining("version 2");
        assertThat(dump(engine)).isEqualTo(before);
        engine.writeEncoded(good, Durability.SYNCED);
        assertThat(dump(engine)).isNotEqualTo(before);
    }
}
