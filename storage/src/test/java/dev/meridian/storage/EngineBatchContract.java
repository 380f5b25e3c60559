package dev.meridian.storage;

import dev.meridian.storage.memory.InMemoryEngine;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The part of the engine contract about read-through batches, size limits and closing. Not run
 * on its own: {@link EngineContractTest} extends it.
 */
public abstract class EngineBatchContract extends EngineContractSupport {

    // ---- read-through batches ------------------------------------------------------------------

    @Test
    void aReadWriteBatchReadsItsOwnWritesOverTheEngine() {
        Engine engine = engineWith("a", "c", "e", "g");
        try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
            batch.put(KeySpace.MVCC, s("b"), s("batch-b"));
            batch.put(KeySpace.MVCC, s("e"), s("batch-e"));
            batch.delete(KeySpace.MVCC, s("c"));
            batch.put(KeySpace.MVCC, s("f"), s("batch-f"));
            assertThat(batch.get(KeySpace.MVCC, s("a"))).isEqualTo(s("A"));
            assertThat(batch.get(KeySpace.MVCC, s("b"))).isEqualTo(s("batch-b"));
            assertThat(batch.get(KeySpace.MVCC, s("c"))).isNull();
            assertThat(batch.get(KeySpace.MVCC, s("e"))).isEqualTo(s("batch-e"));
            assertThat(batch.get(KeySpace.LOCAL, s("b"))).isNull();
            assertThat(scan(batch, KeySpace.MVCC, null, null, false))
                    .containsExactly("a=A", "b=batch-b", "e=batch-e", "f=batch-f", "g=G");
            assertThat(scan(batch, KeySpace.MVCC, null, null, true))
                    .containsExactly("g=G", "f=batch-f", "e=batch-e", "b=batch-b", "a=A");
            assertThat(scan(batch, KeySpace.MVCC, s("b"), s("g"), false))
                    .containsExactly("b=batch-b", "e=batch-e", "f=batch-f");
            assertThat(scan(batch, KeySpace.MVCC, s("b"), s("g"), true))
                    .containsExactly("f=batch-f", "e=batch-e", "b=batch-b");
            assertThat(scan(batch, KeySpace.MVCC, s("bb"), s("f"), true)).containsExactly("e=batch-e");
            assertThat(engine.get(KeySpace.MVCC, s("b"))).as("not written yet").isNull();
            List<String> seenByBatch = scan(batch, KeySpace.MVCC);
            engine.write(batch, Durability.SYNCED);
            assertThat(scan(engine, KeySpace.MVCC)).isEqualTo(seenByBatch);
        }
    }

    @Test
    void aReadWriteBatchIteratorSeeksAndTurnsOverMixedKeys() {
        Engine engine = engineWith("a", "c", "e", "g");
        try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
            batch.put(KeySpace.MVCC, s("b"), s("1"));
            batch.put(KeySpace.MVCC, s("d"), s("1"));
            batch.delete(KeySpace.MVCC, s("e"));
            batch.put(KeySpace.MVCC, s("h"), s("1"));
            try (EngineIterator it = batch.iterator(KeySpace.MVCC, s("b"), s("h"))) {
                List<String> path = new ArrayList<>();
                it.seek(s("a"));
                path.add(at(it));
                it.seek(s("e"));
                path.add(at(it));
                it.prev();
                path.add(at(it));
                it.prev();
                path.add(at(it));
                it.next();
                path.add(at(it));
                it.seekForPrev(s("z"));
                path.add(at(it));
                it.seekForPrev(s("e"));
                path.add(at(it));
                it.seekToLast();
                path.add(at(it));
                it.next();
                path.add(at(it));
                it.seekToFirst();
                path.add(at(it));
                it.prev();
                path.add(at(it));
                assertThat(path).containsExactly("b", "g", "d", "c", "d", "g", "d", "g", "-", "b", "-");
            }
        }
    }

    @Test
    void deleteRangeInAReadWriteBatchHidesKeysAndALaterPutWins() {
        Engine engine = engineWith("a", "b", "c", "d", "e");
        put(engine, KeySpace.LOCAL, "c", "local");
        try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
            batch.put(KeySpace.MVCC, s("bb"), s("in-batch"));
            batch.deleteRange(KeySpace.MVCC, s("b"), s("e"));
            assertThat(batch.get(KeySpace.MVCC, s("c"))).isNull();
            assertThat(batch.get(KeySpace.MVCC, s("bb"))).isNull();
            assertThat(batch.get(KeySpace.LOCAL, s("c"))).isEqualTo(s("local"));
            assertThat(scan(batch, KeySpace.MVCC)).containsExactly("a=A", "e=E");
            assertThat(scan(batch, KeySpace.MVCC, null, null, true)).containsExactly("e=E", "a=A");
            batch.put(KeySpace.MVCC, s("c"), s("again"));
            batch.deleteRange(KeySpace.MVCC, s("x"), s("a"));
            batch.deleteRange(KeySpace.MVCC, s("a"), s("a"));
            assertThat(batch.get(KeySpace.MVCC, s("c"))).isEqualTo(s("again"));
            assertThat(scan(batch, KeySpace.MVCC)).containsExactly("a=A", "c=again", "e=E");
            engine.write(batch, Durability.SYNCED);
        }
        assertThat(scan(engine, KeySpace.MVCC)).containsExactly("a=A", "c=again", "e=E");
        assertThat(scan(engine, KeySpace.LOCAL)).containsExactly("c=local");
    }

    /** The range deletion is a range, not a list of the keys present when it was made. */
    @Test
    void aRangeDeletionInAReadWriteBatchHidesKeysWrittenToTheEngineLater() {
        Engine engine = engineWith("a");
        try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
            batch.deleteRange(KeySpace.MVCC, s("a"), s("m"));
            batch.put(KeySpace.MVCC, s("c"), s("batch"));
            write(engine, w -> {
                w.put(KeySpace.MVCC, s("b"), s("later"));
                w.put(KeySpace.MVCC, s("c"), s("later"));
                w.put(KeySpace.MVCC, s("x"), s("outside"));
            });
            assertThat(batch.get(KeySpace.MVCC, s("b"))).isNull();
            assertThat(batch.get(KeySpace.MVCC, s("c"))).isEqualTo(s("batch"));
            assertThat(batch.get(KeySpace.MVCC, s("x"))).isEqualTo(s("outside"));
            assertThat(scan(batch, KeySpace.MVCC)).containsExactly("c=batch", "x=outside");
            assertThat(scan(batch, KeySpace.MVCC, null, null, true)).containsExactly("x=outside", "c=batch");
            try (EngineIterator it = batch.iterator(KeySpace.MVCC, null, null)) {
                it.seekForPrev(s("l"));
                assertThat(at(it)).isEqualTo("c");
                it.prev();
                assertThat(at(it)).isEqualTo("-");
                it.seek(s("a"));
                assertThat(at(it)).isEqualTo("c");
            }
            engine.write(batch, Durability.SYNCED);
        }
        assertThat(scan(engine, KeySpace.MVCC)).containsExactly("c=batch", "x=outside");
    }

    @Test
    void aReadWriteBatchIteratorKeepsTheViewOfItsCreation() {
        Engine engine = engineWith("a", "c");
        try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
            batch.put(KeySpace.MVCC, s("b"), s("1"));
            try (EngineIterator it = batch.iterator(KeySpace.MVCC, null, null)) {
                batch.put(KeySpace.MVCC, s("bb"), s("2"));
                batch.delete(KeySpace.MVCC, s("c"));
                put(engine, KeySpace.MVCC, "d", "D");
                List<String> seen = new ArrayList<>();
                for (it.seekToFirst(); it.valid(); it.next()) {
                    seen.add(text(it.key()));
                }
                assertThat(seen).containsExactly("a", "b", "c");
            }
            assertThat(scan(batch, KeySpace.MVCC)).containsExactly("a=A", "b=1", "bb=2", "d=D");
        }
    }

    /** MVCC code scans a batch and deletes what it finds in the same batch as it goes. */
    @Test
    void aReadWriteBatchCanBeWrittenWhileItIsIterated() {
        Engine engine = engineWith("a", "b", "c", "d");
        try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
            batch.put(KeySpace.MVCC, s("bb"), s("x"));
            List<String> visited = new ArrayList<>();
            try (EngineIterator it = batch.iterator(KeySpace.MVCC, null, null)) {
                for (it.seekToFirst(); it.valid(); it.next()) {
                    visited.add(text(it.key()));
                    batch.delete(KeySpace.MVCC, it.key());
                    batch.put(KeySpace.LOCAL, it.key(), it.value());
                }
            }
            assertThat(visited).containsExactly("a", "b", "bb", "c", "d");
            assertThat(scan(batch, KeySpace.MVCC)).isEmpty();
            assertThat(scan(batch, KeySpace.LOCAL)).containsExactly("a=A", "b=B", "bb=x", "c=C", "d=D");
            engine.write(batch, Durability.UNSYNCED);
        }
        assertThat(scan(engine, KeySpace.MVCC)).isEmpty();
        assertThat(scan(engine, KeySpace.LOCAL)).hasSize(5);
    }

    /**
     * An open iterator keeps the view it was created with, also when an iterator of an older
     * view is closed after the batch moved on (implementations copy on write, per view).
     */
    @Test
    void aReadWriteBatchIteratorKeepsItsViewAcrossLaterWrites() {
        Engine engine = engineWith("a", "c");
        try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
            EngineIterator first = batch.iterator(KeySpace.MVCC, null, null);
            batch.put(KeySpace.MVCC, s("b"), s("B"));
            assertThat(keys(first)).containsExactly("a", "c");
            try (EngineIterator second = batch.iterator(KeySpace.MVCC, null, null)) {
                first.close();
                batch.put(KeySpace.MVCC, s("d"), s("D"));
                batch.deleteRange(KeySpace.MVCC, s("a"), s("b"));
                assertThat(keys(second)).containsExactly("a", "b", "c");
            }
            assertThat(scan(batch, KeySpace.MVCC)).containsExactly("b=B", "c=C", "d=D");
        }
    }

    private static List<String> keys(EngineIterator it) {
        List<String> out = new ArrayList<>();
        for (it.seekToFirst(); it.valid(); it.next()) {
            out.add(text(it.key()));
        }
        return out;
    }

    @Test
    void aReadWriteBatchEncodesLikeAPlainBatch() {
        Engine engine = engine();
        Engine reference = closeLater(new InMemoryEngine());
        try (ReadWriteBatch batch = engine.newReadWriteBatch(); WriteBatch plain = reference.newWriteBatch()) {
            mixedOps(batch);
            mixedOps(plain);
            assertThat(hex(batch.encode())).isEqualTo(hex(plain.encode()));
            assertThat(batch.count()).isEqualTo(plain.count());
        }
    }

    // ---- limits ------------------------------------------------------------------------------

    @Test
    void oversizedKeysAndValuesAreRefusedAndLeaveTheBatchUnchanged() {
        Engine engine = engine(new EngineLimits(8, 16));
        byte[] emptyEncoding;
        try (WriteBatch empty = engine.newWriteBatch()) {
            emptyEncoding = empty.encode();
        }
        for (WriteBatch batch : List.of(engine.newWriteBatch(), engine.newReadWriteBatch())) {
            try (batch) {
                assertThatThrownBy(() -> batch.put(KeySpace.MVCC, new byte[9], s("v")))
                        .isInstanceOfSatisfying(OversizedException.class, e -> {
                            assertThat(e.what()).isEqualTo("key");
                            assertThat(e.size()).isEqualTo(9);
                            assertThat(e.limit()).isEqualTo(8);
                        });
                assertThatThrownBy(() -> batch.put(KeySpace.MVCC, s("k"), new byte[17]))
                        .isInstanceOf(OversizedException.class).hasMessageContaining("value");
                assertThatThrownBy(() -> batch.delete(KeySpace.MVCC, new byte[9]))
                        .isInstanceOf(OversizedException.class);
                assertThatThrownBy(() -> batch.deleteRange(KeySpace.MVCC, s("a"), new byte[9]))
                        .isInstanceOf(OversizedException.class);
                assertThat(batch.count()).isZero();
                assertThat(batch.byteSize()).isZero();
                assertThat(batch.encode()).isEqualTo(emptyEncoding);
                batch.put(KeySpace.MVCC, new byte[8], new byte[16]);
                engine.write(batch, Durability.UNSYNCED);
            }
        }
        assertThat(engine.get(KeySpace.MVCC, new byte[8])).isEqualTo(new byte[16]);
        assertThat(engine.limits()).isEqualTo(new EngineLimits(8, 16));
    }

    @Test
    void anEncodedBatchWithOversizedEntriesIsRefusedWhole() {
        Engine engine = engine(new EngineLimits(8, 16));
        Engine roomy = closeLater(new InMemoryEngine());
        for (byte[][] entry : List.of(new byte[][] {new byte[9], s("v")}, new byte[][] {s("k"), new byte[17]})) {
            byte[] encoded;
            try (WriteBatch batch = roomy.newWriteBatch()) {
                batch.put(KeySpace.MVCC, s("first"), s("ok"));
                batch.put(KeySpace.MVCC, entry[0], entry[1]);
                encoded = batch.encode();
            }
            assertThatThrownBy(() -> engine.writeEncoded(encoded, Durability.SYNCED))
                    .isInstanceOf(OversizedException.class);
        }
        assertThat(dump(engine)).isEmpty();
    }

    // ---- closing -----------------------------------------------------------------------------

    @Test
    void everyUseOfAClosedEngineThrows() {
        Engine engine = engineWith("a", "b");
        EngineIterator it = engine.iterator(KeySpace.MVCC, null, null);
        it.seekToFirst();
        EngineSnapshot snapshot = engine.newSnapshot();
        WriteBatch batch = engine.newWriteBatch();
        ReadWriteBatch rw = engine.newReadWriteBatch();
        EngineIterator rwIt = rw.iterator(KeySpace.MVCC, null, null);
        byte[] encoded = batch.encode();
        engine.close();
        engine.close();
        List<Runnable> uses = List.of(
                () -> engine.get(KeySpace.MVCC, s("a")),
                () -> engine.iterator(KeySpace.MVCC, null, null),
                engine::newSnapshot,
                engine::newWriteBatch,
                engine::newReadWriteBatch,
                () -> engine.write(batch, Durability.SYNCED),
                () -> engine.writeEncoded(encoded, Durability.SYNCED),
                () -> engine.approximateSize(KeySpace.MVCC, s("a"), s("z")),
                it::valid, it::next, it::key, () -> it.seek(s("a")), it::seekToLast,
                () -> snapshot.get(KeySpace.MVCC, s("a")),
                () -> snapshot.iterator(KeySpace.MVCC, null, null),
                () -> batch.put(KeySpace.MVCC, s("k"), s("v")),
                batch::encode,
                () -> rw.get(KeySpace.MVCC, s("a")),
                () -> rw.put(KeySpace.MVCC, s("k"), s("v")),
                () -> rw.iterator(KeySpace.MVCC, null, null),
                rwIt::seekToFirst);
        for (int i = 0; i < uses.size(); i++) {
            assertThatThrownBy(uses.get(i)::run).as("use #%d", i).isInstanceOf(StorageException.class);
        }
        // Closing what the engine already released is harmless.
        it.close();
        rwIt.close();
        snapshot.close();
        batch.close();
        rw.close();
    }

    /** Readers racing with close see the engine or a StorageException, nothing else. */
    @Test
    void closingWhileOtherThreadsReadOnlyMakesThemThrow() throws Exception {
        Engine engine = engineWith("a", "b", "c");
        int readers = 3;
        java.util.concurrent.CountDownLatch warmedUp = new java.util.concurrent.CountDownLatch(readers);
        List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            Thread t = new Thread(() -> {
                try {
                    for (int n = 0; ; n++) {
                        if (n == 100) {
                            warmedUp.countDown();
                        }
                        assertThat(engine.get(KeySpace.MVCC, s("b"))).isEqualTo(s("B"));
                        try (EngineIterator it = engine.iterator(KeySpace.MVCC, null, null);
                             EngineSnapshot snap = engine.newSnapshot()) {
                            for (it.seekToFirst(); it.valid(); it.next()) {
                                assertThat(it.value()).isEqualTo(snap.get(KeySpace.MVCC, it.key()));
                            }
                        }
                    }
                } catch (StorageException expected) {
                    // The engine closed under us: the only acceptable way out.
                } catch (Throwable t2) {
                    unexpected.add(t2);
                } finally {
                    warmedUp.countDown();
                }
            });
            threads.add(t);
            t.start();
        }
        warmedUp.await();
        engine.close();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(unexpected).isEmpty();
    }

    @Test
    void closedIteratorsSnapshotsAndBatchesThrow() {
        Engine engine = engineWith("a");
        EngineIterator it = engine.iterator(KeySpace.MVCC, null, null);
        it.close();
        it.close();
        assertThatThrownBy(it::seekToFirst).isInstanceOf(StorageException.class);
        assertThatThrownBy(it::valid).isInstanceOf(StorageException.class);
        EngineSnapshot snapshot = engine.newSnapshot();
        snapshot.close();
        snapshot.close();
        assertThatThrownBy(() -> snapshot.get(KeySpace.MVCC, s("a"))).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> snapshot.iterator(KeySpace.MVCC, null, null)).isInstanceOf(StorageException.class);
        WriteBatch batch = engine.newWriteBatch();
        batch.put(KeySpace.MVCC, s("b"), s("B"));
        batch.close();
        assertThatThrownBy(() -> batch.put(KeySpace.MVCC, s("c"), s("C"))).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> engine.write(batch, Durability.SYNCED)).isInstanceOf(StorageException.class);
        ReadWriteBatch rw = engine.newReadWriteBatch();
        rw.close();
        assertThatThrownBy(() -> rw.get(KeySpace.MVCC, s("a"))).isInstanceOf(StorageException.class);
        assertThat(scan(engine, KeySpace.MVCC)).containsExactly("a=A");
    }
}
