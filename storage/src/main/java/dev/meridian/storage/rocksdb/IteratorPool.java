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
        this.idle = new ArrayDeque[KeySpace.values().length];
        for (int i = 0; i < idle.length; i++) {
            idle[i] = new ArrayDeque<>(capacityPerSpace);
        }
    }

    /** An idle iterator of {@code space}, not yet refreshed, or null when there is none. */
    synchronized RocksIterator borrow(KeySpace space) {
        return released ? null : idle[space.ordinal()].pollFirst();
    }

    /** Keeps {@code it} for reuse; closes it if the pool is full or already released. */
    void giveBack(KeySpace space, RocksIterator it) {
        synchronized (this) {
            if (!released && idle[space.ordinal()].size() < capacityPerSpace) {
                idle[space.ordinal()].addFirst(it);
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
