package dev.meridian.storage.mvcc;

import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.memory.InMemoryEngine;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The refresh check: a write by someone else in (from, to] invalidates reads; nothing else does. */
class MvccRefreshTest {

    private static final UUID ME = new UUID(0, 1);
    private static final UUID OTHER = new UUID(0, 2);

    @Test
    void committedVersionsCountOnlyInsideTheWindow() {
        try (Engine engine = new InMemoryEngine()) {
            put(engine, "a", 5, null);
            put(engine, "b", 10, null);
            put(engine, "c", 20, null);
            // (10, 20]: b at 10 is on the boundary (visible to the old read), c at 20 is inside.
            RefreshResult r = Mvcc.refresh(engine, b("a"), b("z"), ts(10), ts(20), ME);
            assertThat(r.status()).isEqualTo(RefreshResult.Status.COMMITTED_VALUE);
            assertThat(s(r.key())).isEqualTo("c");
            assertThat(r.timestamp()).isEqualTo(ts(20));
            assertThat(Mvcc.refresh(engine, b("a"), b("z"), ts(20), ts(30), ME).ok()).isTrue();
            assertThat(Mvcc.refresh(engine, b("a"), b("c"), ts(10), ts(30), ME).ok()).isTrue();
            // A single key (empty end): only that key counts.
            assertThat(Mvcc.refresh(engine, b("b"), new byte[0], ts(9), ts(30), ME).status())
                    .isEqualTo(RefreshResult.Status.COMMITTED_VALUE);
            assertThat(Mvcc.refresh(engine, b("a"), new byte[0], ts(9), ts(30), ME).ok()).isTrue();
            // A version above the window is no reason to fail, even over an older one.
            put(engine, "a", 50, null);
            assertThat(Mvcc.refresh(engine, b("a"), new byte[0], ts(6), ts(40), ME).ok()).isTrue();
        }
    }

    @Test
    void othersIntentsAtOrBelowTheTargetFailButOwnIntentsNever() {
        try (Engine engine = new InMemoryEngine()) {
            put(engine, "k", 5, null);
            put(engine, "m", 25, ME);   // my intent, inside the window
            put(engine, "x", 30, OTHER);
            assertThat(Mvcc.refresh(engine, b("a"), b("z"), ts(10), ts(29), ME).ok()).isTrue();
            RefreshResult r = Mvcc.refresh(engine, b("a"), b("z"), ts(10), ts(30), ME);
            assertThat(r.status()).isEqualTo(RefreshResult.Status.INTENT);
            assertThat(s(r.key())).isEqualTo("x");
            assertThat(r.holder().id()).isEqualTo(OTHER);
            // Seen from OTHER, my intent at 25 is in the way.
            assertThat(Mvcc.refresh(engine, b("a"), b("z"), ts(10), ts(26), OTHER).status())
                    .isEqualTo(RefreshResult.Status.INTENT);
        }
    }

    private static void put(Engine engine, String k, long wall, UUID txn) {
        try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
            WriteOptions wo = txn == null ? WriteOptions.at(ts(wall)) : WriteOptions.txn(TxnMeta.of(txn, ts(wall)));
            assertThat(Mvcc.put(batch, new MvccStats(), b(k), b("v"), wo).ok()).isTrue();
            engine.write(batch, Durability.UNSYNCED);
        }
    }

    private static Timestamp ts(long wall) {
        return Timestamp.ofWall(wall);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
