package dev.meridian.storage.rocksdb;

import dev.meridian.storage.BatchOp;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.EngineLimits;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatchWithIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A read-through batch: the plain native batch of {@link RocksDbWriteBatch} is what gets
 * written, and a {@link WriteBatchWithIndex} beside it answers reads of the batch laid over the
 * live engine.
 *
 * <p>RocksDB's indexed batch cannot read through a range deletion, so this class does it, with
 * the in-memory engine's semantics: {@link #deleteRange} records the range (which hides every
 * engine key in it, including keys other writers add later) and writes a point deletion into the
 * index for each key the batch itself wrote in the range. A later put in the batch is an index
 * entry again and wins. The real range deletion goes into the written batch.
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
    // Per key space: the keys the batch wrote (to find them under a range deletion) and the
    // range deletions, in order; both only grow.
    private final List<TreeSet<byte[]>> writtenKeys = new ArrayList<>();
    private final List<List<KeyRange>> rangeDeletes = new ArrayList<>();

    /** A half-open span {@code [start, end)}, never empty. */
    record KeyRange(byte[] start, byte[] end) {
        boolean covers(byte[] key) {
            return Arrays.compareUnsigned(start, key) <= 0 && Arrays.compareUnsigned(key, end) < 0;
        }

        static boolean anyCovers(List<KeyRange> ranges, byte[] key) {
            for (KeyRange r : ranges) {
                if (r.covers(key)) {
                    return true;
                }
            }
            return false;
        }
    }

    RocksDbReadWriteBatch(RocksDbEngine engine, EngineGuard guard, EngineLimits limits) {
        super(engine, guard, limits);
        for (int i = 0; i < KeySpace.values().length; i++) {
            writtenKeys.add(new TreeSet<>(Arrays::compareUnsigned));
            rangeDeletes.add(new ArrayList<>());
        }
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
            List<byte[]> own = new ArrayList<>(writtenKeys.get(space.ordinal()).subSet(start, true, end, false));
            for (byte[] key : own) {
                indexDelete(space, key);
            }
            rangeDeletes.get(space.ordinal()).add(new KeyRange(start.clone(), end.clone()));
        } finally {
            guard.exit();
        }
    }

    private void indexPut(KeySpace space, byte[] key, byte[] value) {
        try {
            writableIndex().wbwi.put(engine.handle(space), key, value);
        } catch (RocksDBException e) {
            throw RocksDbEngine.storageError("read-write batch put", e);
        }
        indexOps.add(new BatchOp(BatchOp.Kind.PUT, space, key.clone(), value.clone()));
        writtenKeys.get(space.ordinal()).add(key.clone());
    }

    private void indexDelete(KeySpace space, byte[] key) {
        try {
            writableIndex().wbwi.delete(engine.handle(space), key);
        } catch (RocksDBException e) {
            throw RocksDbEngine.storageError("read-write batch delete", e);
        }
        indexOps.add(new BatchOp(BatchOp.Kind.DELETE, space, key.clone(), null));
        writtenKeys.get(space.ordinal()).add(key.clone());
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
            if (KeyRange.anyCovers(rangeDeletes.get(space.ordinal()), key)) {
                // Under a range deletion only the batch's own later puts are visible.
                return index.wbwi.getFromBatch(engine.handle(space), engine.dbOptions(), key);
            }
            return index.wbwi.getFromBatchAndDB(engine.db(), engine.handle(space), engine.readOptions(), key);
        } catch (RocksDBException e) {
            throw RocksDbEngine.storageError("read-write batch get", e, key);
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
                List<KeyRange> ranges = List.copyOf(rangeDeletes.get(space.ordinal()));
                ColumnFamilyHandle cf = engine.handle(space);
                // An engine key under a range deletion is hidden unless the batch put it again.
                Predicate<byte[]> hidden = ranges.isEmpty() ? null
                        : key -> KeyRange.anyCovers(ranges, key) && !putInBatch(reading, cf, key);
                return engine.openMergedIteratorLocked(space, lowerBound, upperBound, reading.wbwi, hidden,
                        reading::iteratorClosed);
            } catch (RuntimeException e) {
                reading.iteratorClosed();
                throw e;
            }
        } finally {
            guard.exit();
        }
    }

    private boolean putInBatch(Index reading, ColumnFamilyHandle cf, byte[] key) {
        try {
            return reading.wbwi.getFromBatch(cf, engine.dbOptions(), key) != null;
        } catch (RocksDBException e) {
            throw RocksDbEngine.storageError("read-write batch lookup", e);
        }
    }

    @Override
    public void releaseNative() {
        super.releaseNative();
        index.retire();
    }
}
