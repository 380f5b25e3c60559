package dev.meridian.storage.rocksdb;

import dev.meridian.storage.BatchOp;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.EngineLimits;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatchWithIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A read-through batch: the plain native batch of {@link RocksDbWriteBatch} is what gets
 * written, and a {@link WriteBatchWithIndex} beside it answers reads of the batch laid over the
 * live engine.
 *
 * <p>RocksDB's indexed batch cannot read through a range deletion, so {@link #deleteRange}
 * writes a point deletion into the index for every key the batch currently sees in the range
 * (engine and batch); the real range deletion still goes into the written batch. A later put in
 * the batch therefore wins, as in the in-memory engine. HAZARD: keys that other writers add to
 * the range after the call are not hidden by the index (the in-memory batch hides them); callers
 * keep other writers out with latches (see {@link ReadWriteBatch}). A range deletion over many
 * keys costs one index entry per key.
 *
 * <p>Iterators see the batch as it was when they were created. Writing to an index that an
 * open iterator reads would move that iterator (and may invalidate its current entry), so the
 * index is copied on the first write after an iterator was opened; the old copy lives until its
 * last iterator closes.
 */
final class RocksDbReadWriteBatch extends RocksDbWriteBatch implements ReadWriteBatch {

    /** One immutable-once-shared version of the index, freed when retired and unused. */
    private static final class Index {
        final WriteBatchWithIndex wbwi = new WriteBatchWithIndex(true);
        int openIterators;
        boolean retired;

        synchronized void iteratorOpened() {
            openIterators++;
        }

        synchronized void iteratorClosed() {
            openIterators--;
            freeIfUnused();
        }

        synchronized void retire() {
            retired = true;
            freeIfUnused();
        }

        synchronized boolean shared() {
            return openIterators > 0;
        }

        private void freeIfUnused() {
            if (retired && openIterators == 0) {
                wbwi.close();
            }
        }
    }

    // The index's own history of point writes, replayed to copy it.
    private final List<BatchOp> indexOps = new ArrayList<>();
    private Index index = new Index();

    RocksDbReadWriteBatch(RocksDbEngine engine, EngineGuard guard, EngineLimits limits) {
        super(engine, guard, limits);
    }

    @Override
    public void put(KeySpace space, byte[] key, byte[] value) {
        super.put(space, key, value);
        enterUsable();
        try {
            indexPut(space, key, value);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void delete(KeySpace space, byte[] key) {
        super.delete(space, key);
        enterUsable();
        try {
            indexDelete(space, key);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void deleteRange(KeySpace space, byte[] start, byte[] end) {
        super.deleteRange(space, start, end);
        if (Arrays.compareUnsigned(start, end) >= 0) {
            return;
        }
        enterUsable();
        try {
            for (byte[] key : visibleKeysLocked(space, start, end)) {
                indexDelete(space, key);
            }
        } finally {
            guard.exit();
        }
    }

    private List<byte[]> visibleKeysLocked(KeySpace space, byte[] start, byte[] end) {
        List<byte[]> keys = new ArrayList<>();
        ColumnFamilyHandle cf = engine.handle(space);
        try (RocksIterator merged = index.wbwi.newIteratorWithBase(cf, engine.db().newIterator(cf))) {
            for (merged.seek(start); merged.isValid() && Arrays.compareUnsigned(merged.key(), end) < 0;
                 merged.next()) {
                keys.add(merged.key());
            }
            merged.status();
        } catch (RocksDBException e) {
            throw RocksDbEngine.storageError("read-write batch range scan", e);
        }
        return keys;
    }

    private void indexPut(KeySpace space, byte[] key, byte[] value) {
        try {
            writableIndex().wbwi.put(engine.handle(space), key, value);
        } catch (RocksDBException e) {
            throw RocksDbEngine.storageError("read-write batch put", e);
        }
        indexOps.add(new BatchOp(BatchOp.Kind.PUT, space, key.clone(), value.clone()));
    }

    private void indexDelete(KeySpace space, byte[] key) {
        try {
            writableIndex().wbwi.delete(engine.handle(space), key);
        } catch (RocksDBException e) {
            throw RocksDbEngine.storageError("read-write batch delete", e);
        }
        indexOps.add(new BatchOp(BatchOp.Kind.DELETE, space, key.clone(), null));
    }

    /** The index to write into: a fresh copy if an open iterator still reads the current one. */
    private Index writableIndex() {
        if (!index.shared()) {
            return index;
        }
        Index copy = new Index();
        try {
            for (BatchOp op : indexOps) {
                ColumnFamilyHandle cf = engine.handle(op.space());
                if (op.kind() == BatchOp.Kind.PUT) {
                    copy.wbwi.put(cf, op.key(), op.value());
                } else {
                    copy.wbwi.delete(cf, op.key());
                }
            }
        } catch (RocksDBException e) {
            copy.retire();
            throw RocksDbEngine.storageError("read-write batch index copy", e);
        }
        index.retire();
        index = copy;
        return copy;
    }

    @Override
    public byte[] get(KeySpace space, byte[] key) {
        enterUsable();
        try {
            engine.metrics().get();
            return index.wbwi.getFromBatchAndDB(engine.db(), engine.handle(space), engine.readOptions(), key);
        } catch (RocksDBException e) {
            throw RocksDbEngine.storageError("read-write batch get", e);
        } finally {
            guard.exit();
        }
    }

    @Override
    public EngineIterator iterator(KeySpace space, byte[] lowerBound, byte[] upperBound) {
        enterUsable();
        try {
            Index reading = index;
            reading.iteratorOpened();
            try {
                return engine.openMergedIteratorLocked(space, lowerBound, upperBound, reading.wbwi,
                        reading::iteratorClosed);
            } catch (RuntimeException e) {
                reading.iteratorClosed();
                throw e;
            }
        } finally {
            guard.exit();
        }
    }

    @Override
    public void releaseNative() {
        super.releaseNative();
        index.retire();
    }
}
