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
 * <p>The index is built lazily, from the recorded point operations, the first time a read needs
 * the batch's contents: a read of a key space the batch has not written goes straight to the
 * engine, and the usual MVCC command (read a key, then write it) never builds one. Profiling
 * showed the eager index doubling the native work of every write.
 *
 * <p>RocksDB's indexed batch cannot read through a range deletion, so this class does it, with
 * the in-memory engine's semantics: {@link #deleteRange} records the range (which hides every
 * engine key in it, including keys other writers add later) and writes a point deletion into the
 * index for each key the batch itself wrote in the range. A later put in the batch is an index
 * entry again and wins. The real range deletion goes into the written batch.
 *
 * <p>Iterators see the batch as it was when they were created. Writing to an index that an
 * open iterator reads would move that iterator (and may invalidate its current entry), so a
 * write retires a shared index instead (it lives until its last iterator closes) and the next
 * read builds a new one.
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

    // The index's history of point writes, replayed to build it.
    private final List<BatchOp> indexOps = new ArrayList<>();
    // The current index, or null until a read needs one (and again after a write retired a
    // shared one). When not null it reflects every op in indexOps.
    private Index index;
    // Per key space: the range deletions, in order; only grows.
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
            for (byte[] key : writtenKeysIn(space, start, end)) {
                indexDelete(space, key);
            }
            rangeDeletes.get(space.ordinal()).add(new KeyRange(start.clone(), end.clone()));
        } finally {
            guard.exit();
        }
    }

    private void indexPut(KeySpace space, byte[] key, byte[] value) {
        BatchOp op = new BatchOp(BatchOp.Kind.PUT, space, key.clone(), value.clone());
        indexOps.add(op);
        applyToCurrentIndex(op);
    }

    private void indexDelete(KeySpace space, byte[] key) {
        BatchOp op = new BatchOp(BatchOp.Kind.DELETE, space, key.clone(), null);
        indexOps.add(op);
        applyToCurrentIndex(op);
    }

    /**
     * Keeps a built index current. An index that an open iterator reads must not change under
     * it: it is retired instead (freed when its last iterator closes) and the next read that
     * needs one builds a new index.
     */
    private void applyToCurrentIndex(BatchOp op) {
        if (index == null) {
            return;
        }
        if (index.shared()) {
            index.retire();
            index = null;
            return;
        }
        apply(index, op);
    }

    private void apply(Index target, BatchOp op) {
        try {
            ColumnFamilyHandle cf = engine.handle(op.space());
            if (op.kind() == BatchOp.Kind.PUT) {
                target.wbwi.put(cf, op.key(), op.value());
            } else {
                target.wbwi.delete(cf, op.key());
            }
        } catch (RocksDBException e) {
            throw RocksDbEngine.storageError("read-write batch index", e);
        }
    }

    /** The index of every point write so far, built now if there is none. */
    private Index readableIndex() {
        if (index == null) {
            Index built = new Index();
            try {
                for (BatchOp op : indexOps) {
                    apply(built, op);
                }
            } catch (RuntimeException e) {
                built.retire();
                throw e;
            }
            index = built;
        }
        return index;
    }

    /** The distinct keys of {@code space} in {@code [start, end)} that the batch wrote, in order. */
    private List<byte[]> writtenKeysIn(KeySpace space, byte[] start, byte[] end) {
        TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);
        for (BatchOp op : indexOps) {
            if (op.space() == space && Arrays.compareUnsigned(start, op.key()) <= 0
                    && Arrays.compareUnsigned(op.key(), end) < 0) {
                keys.add(op.key());
            }
        }
        return new ArrayList<>(keys);
    }

    @Override
    public byte[] get(KeySpace space, byte[] key) {
        enterUsable();
        try {
            if (!touches(space)) {
                return engine.get(space, key);
            }
            engine.metrics().get();
            Index reading = readableIndex();
            if (KeyRange.anyCovers(rangeDeletes.get(space.ordinal()), key)) {
                // Under a range deletion only the batch's own later puts are visible.
                return reading.wbwi.getFromBatch(engine.handle(space), engine.dbOptions(), key);
            }
            return reading.wbwi.getFromBatchAndDB(engine.db(), engine.handle(space), engine.readOptions(), key);
        } catch (RocksDBException e) {
            throw RocksDbEngine.storageError("read-write batch get", e, key);
        } finally {
            guard.exit();
        }
    }

    @Override
    public EngineIterator iterator(KeySpace space, byte[] lowerBound, byte[] upperBound) {
        return iterator(space, lowerBound, upperBound, false);
    }

    @Override
    public EngineIterator probe(KeySpace space, byte[] lowerBound, byte[] upperBound) {
        return iterator(space, lowerBound, upperBound, true);
    }

    private EngineIterator iterator(KeySpace space, byte[] lowerBound, byte[] upperBound, boolean probe) {
        enterUsable();
        try {
            if (!touches(space)) {
                // Nothing of the batch to merge: the engine's (pooled) iterator reads the same.
                // MVCC writes read before they write, so every first read of a command is here.
                return engine.openPooledIteratorLocked(space, lowerBound, upperBound, probe);
            }
            Index reading = readableIndex();
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
        if (index != null) {
            index.retire();
        }
    }
}
