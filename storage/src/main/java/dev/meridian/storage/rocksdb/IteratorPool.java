package dev.meridian.storage.rocksdb;

import dev.meridian.storage.KeySpace;
import org.rocksdb.RocksIterator;

import java.util.ArrayDeque;

/**
 * Idle native iterators over the live engine, a few per key space, refreshed when reused.
 *
 * <p>Why: creating a RocksDB iterator (read options, bound slices, the iterator itself, and
 * their disposal) costs about as much as the seek it serves, and MVCC opens one for every point
 * read. A refreshed idle iterator sees exactly what a new one would, so reuse changes no
 * behaviour. {@code PointReadLadderBenchmark} shows the gain.
 *
 * <p>HAZARD: an idle iterator pins the memtables and SST files of the moment it was last used
 * until it is reused or the engine closes; the pool is small so that the pinned state stays
 * small. Pooled iterators carry no native bounds (bounds are fixed at creation); callers
 * enforce bounds themselves ({@link RocksDbIterator} does).
 */
final class IteratorPool implements EngineGuard.Child {
    private final int capacityPerSpace;
    private final ArrayDeque<RocksIterator>[] idle;
    private boolean released;

    @SuppressWarnings("unchecked")
    IteratorPool(int capacityPerSpace) {
        this.capacityPerSpace = capacityPerSpace;
        this.idle = new ArrayDeque[KeySpace.values().length + 1];
        for (int i = 0; i < idle.length; i++) {
            idle[i] = new ArrayDeque<>(capacityPerSpace);
        }
    }

    /**
     * The pool slot of iterators over {@code space}: one per key space, and one more for the
     * MVCC iterators in prefix mode (their read options differ, and a refresh keeps them).
     */
    static int slot(KeySpace space, boolean prefixMode) {
        if (prefixMode && space != KeySpace.MVCC) {
            throw new IllegalArgumentException("prefix mode is for " + KeySpace.MVCC + " only, not " + space);
        }
        return prefixMode ? KeySpace.values().length : space.ordinal();
    }

    /** An idle iterator of {@code slot}, not yet refreshed, or null when there is none. */
    synchronized RocksIterator borrow(int slot) {
        return released ? null : idle[slot].pollFirst();
    }

    /** Keeps {@code it} for reuse; closes it if the pool is full or already released. */
    void giveBack(int slot, RocksIterator it) {
        synchronized (this) {
            if (!released && idle[slot].size() < capacityPerSpace) {
                idle[slot].addFirst(it);
                return;
            }
        }
        it.close();
    }

    @Override
    public synchronized void releaseNative() {
        if (released) {
            return;
        }
        released = true;
        for (ArrayDeque<RocksIterator> q : idle) {
            for (RocksIterator it : q) {
                it.close();
            }
            q.clear();
        }
    }

    @Override
    public synchronized boolean isReleased() {
        return released;
    }
}
