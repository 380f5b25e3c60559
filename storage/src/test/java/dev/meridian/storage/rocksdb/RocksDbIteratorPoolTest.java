package dev.meridian.storage.rocksdb;

import dev.meridian.storage.Durability;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.StorageException;
import dev.meridian.storage.WriteBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine reuses native iterators (refreshed on reuse, bounds enforced in Java). A reused
 * iterator must see exactly what a new one would: later writes, not earlier views.
 */
class RocksDbIteratorPoolTest {

    @TempDir
    Path dir;

    @Test
    void aReusedIteratorSeesWritesMadeWhileItWasIdle() {
        try (RocksDbEngine engine = RocksDbEngine.open(dir)) {
            put(engine, "a", "1");
            assertThat(keys(engine, null, null)).containsExactly("a=1");
            put(engine, "b", "2");
            delete(engine, "a");
            put(engine, "c", "3");
            // Many rounds, so every pooled iterator is reused at least once.
            for (int i = 0; i < 50; i++) {
                assertThat(keys(engine, null, null)).containsExactly("b=2", "c=3");
            }
            put(engine, "b", "22");
            assertThat(keys(engine, null, null)).containsExactly("b=22", "c=3");
        }
    }

    @Test
    void anOpenIteratorKeepsItsViewWhileOthersAreReused() {
        try (RocksDbEngine engine = RocksDbEngine.open(dir)) {
            put(engine, "a", "1");
            try (EngineIterator held = engine.iterator(KeySpace.MVCC, null, null)) {
                put(engine, "b", "2");
                // Nested iterators on the same thread, opened and closed while `held` stays open.
                for (int i = 0; i < 10; i++) {
                    assertThat(keys(engine, null, null)).containsExactly("a=1", "b=2");
                }
                held.seekToFirst();
                List<String> seen = new ArrayList<>();
                for (; held.valid(); held.next()) {
                    seen.add(text(held.key()));
                }
                assertThat(seen).containsExactly("a");
            }
        }
    }

    @Test
    void boundsHoldWithoutNativeBounds() {
        try (RocksDbEngine engine = RocksDbEngine.open(dir)) {
            for (String k : List.of("a", "b", "c", "d", "e")) {
                put(engine, k, k);
            }
            assertThat(keys(engine, "b", "d")).containsExactly("b=b", "c=c");
            try (EngineIterator it = engine.iterator(KeySpace.MVCC, s("b"), s("d"))) {
                it.seekToLast();
                assertThat(text(it.key())).isEqualTo("c");
                it.seekForPrev(s("z"));
                assertThat(text(it.key())).isEqualTo("c");
                it.seekForPrev(s("a"));
                assertThat(it.valid()).isFalse();
                it.seek(s("a"));
                assertThat(text(it.key())).isEqualTo("b");
                it.seek(s("d"));
                assertThat(it.valid()).isFalse();
            }
        }
    }

    @Test
    void aReadWriteBatchWithNothingInTheSpaceReadsTheLiveEngine() {
        try (RocksDbEngine engine = RocksDbEngine.open(dir)) {
            put(engine, "a", "1");
            try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
                batch.put(KeySpace.LOCAL, s("x"), s("y"));
                assertThat(keys(batch)).containsExactly("a=1");
                put(engine, "b", "2");
                assertThat(keys(batch)).containsExactly("a=1", "b=2");
                batch.put(KeySpace.MVCC, s("c"), s("3"));
                assertThat(keys(batch)).containsExactly("a=1", "b=2", "c=3");
            }
        }
    }

    @Test
    void closingTheEngineReleasesIdleAndOpenIterators() {
        RocksDbEngine engine = RocksDbEngine.open(dir);
        put(engine, "a", "1");
        keys(engine, null, null);
        EngineIterator open = engine.iterator(KeySpace.MVCC, null, null);
        engine.close();
        assertThatThrownBy(open::seekToFirst).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> engine.iterator(KeySpace.MVCC, null, null)).isInstanceOf(StorageException.class);
        open.close();
        // The store reopens cleanly: nothing was left holding it.
        try (RocksDbEngine again = RocksDbEngine.open(dir)) {
            assertThat(keys(again, null, null)).containsExactly("a=1");
        }
    }

    private static List<String> keys(RocksDbEngine engine, String lower, String upper) {
        return keys(engine.iterator(KeySpace.MVCC, lower == null ? null : s(lower), upper == null ? null : s(upper)));
    }

    private static List<String> keys(ReadWriteBatch batch) {
        return keys(batch.iterator(KeySpace.MVCC, null, null));
    }

    private static List<String> keys(EngineIterator iterator) {
        List<String> out = new ArrayList<>();
        try (EngineIterator it = iterator) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                out.add(text(it.key()) + "=" + text(it.value()));
            }
        }
        return out;
    }

    private static void put(RocksDbEngine engine, String k, String v) {
        try (WriteBatch b = engine.newWriteBatch()) {
            b.put(KeySpace.MVCC, s(k), s(v));
            engine.write(b, Durability.UNSYNCED);
        }
    }

    private static void delete(RocksDbEngine engine, String k) {
        try (WriteBatch b = engine.newWriteBatch()) {
            b.delete(KeySpace.MVCC, s(k));
            engine.write(b, Durability.UNSYNCED);
        }
    }

    private static byte[] s(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
