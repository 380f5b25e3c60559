package dev.meridian.storage.rocksdb;

import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.EngineSnapshot;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.StorageException;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;

/**
 * A RocksDB snapshot. Iterators opened from it may outlive it (as in the in-memory engine), so
 * the native snapshot is released only when the snapshot and all of its iterators are closed.
 */
final class RocksDbSnapshot implements EngineSnapshot, EngineGuard.Child {
    private final RocksDbEngine engine;
    private final EngineGuard guard;
    private final Snapshot snapshot;
    private final org.rocksdb.ReadOptions readOptions;
    private int openIterators;
    private boolean closedByUser;
    private boolean released;

    RocksDbSnapshot(RocksDbEngine engine, EngineGuard guard) {
        this.engine = engine;
        this.guard = guard;
        this.snapshot = engine.db().getSnapshot();
        this.readOptions = new org.rocksdb.ReadOptions().setTotalOrderSeek(true).setSnapshot(snapshot);
        guard.register(this);
    }

    @Override
    public byte[] get(KeySpace space, byte[] key) {
        enterUsable();
        try {
            engine.metrics().get();
            return engine.db().get(engine.handle(space), readOptions, key);
        } catch (RocksDBException e) {
            throw RocksDbEngine.storageError("snapshot get", e, key);
        } finally {
            guard.exit();
        }
    }

    @Override
    public EngineIterator iterator(KeySpace space, byte[] lowerBound, byte[] upperBound) {
        enterUsable();
        try {
            synchronized (this) {
                openIterators++;
            }
            return engine.openIteratorLocked(space, lowerBound, upperBound, snapshot, this::iteratorReleased);
        } catch (RuntimeException e) {
            iteratorReleased();
            throw e;
        } finally {
            guard.exit();
        }
    }

    private synchronized void iteratorReleased() {
        openIterators--;
        releaseIfUnused();
    }

    private void enterUsable() {
        guard.enter();
        boolean closed;
        synchronized (this) {
            closed = closedByUser;
        }
        if (closed) {
            guard.exit();
            throw new StorageException("snapshot is closed");
        }
    }

    @Override
    public void close() {
        if (!guard.enterIfOpen()) {
            return;
        }
        try {
            synchronized (this) {
                closedByUser = true;
                releaseIfUnused();
            }
        } finally {
            guard.exit();
        }
    }

    private void releaseIfUnused() {
        if (closedByUser && openIterators == 0 && !released) {
            guard.unregister(this);
            releaseNative();
        }
    }

    @Override
    public synchronized boolean isReleased() {
        return released;
    }

    @Override
    public synchronized void releaseNative() {
        if (!released) {
            released = true;
            closedByUser = true;
            readOptions.close();
            engine.db().releaseSnapshot(snapshot);
        }
    }
}
