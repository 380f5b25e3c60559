package dev.meridian.storage.rocksdb;

import dev.meridian.storage.BatchOp;
import dev.meridian.storage.EngineLimits;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.StorageException;
import dev.meridian.storage.WriteBatch;
import dev.meridian.storage.WriteBatchCodec;
import org.rocksdb.RocksDBException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A write batch of the RocksDB engine. Operations go into a native batch as they are added, so
 * {@link RocksDbEngine#write} is one native call; the same operations are kept as
 * {@link BatchOp}s for the portable {@link #encode() encoding}.
 *
 * <p>An empty or inverted range deletion is kept in the portable form (so that count and
 * encoding match the in-memory engine) but not given to RocksDB, which refuses inverted ranges.
 */
class RocksDbWriteBatch implements WriteBatch, EngineGuard.Child {
    final RocksDbEngine engine;
    final EngineGuard guard;
    private final EngineLimits limits;
    private final org.rocksdb.WriteBatch nativeBatch = new org.rocksdb.WriteBatch();
    private final List<BatchOp> ops = new ArrayList<>();
    private final int[] opsPerSpace = new int[KeySpace.values().length];
    private long bytes;
    private boolean released;

    RocksDbWriteBatch(RocksDbEngine engine, EngineGuard guard, EngineLimits limits) {
        this.engine = engine;
        this.guard = guard;
        this.limits = limits;
        guard.register(this);
    }

    @Override
    public void put(KeySpace space, byte[] key, byte[] value) {
        limits.checkKey(key);
        limits.checkValue(value);
        enterUsable();
        try {
            nativeBatch.put(engine.handle(space), key, value);
            add(new BatchOp(BatchOp.Kind.PUT, space, key.clone(), value.clone()));
        } catch (RocksDBException e) {
            throw RocksDbEngine.storageError("batch put", e);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void delete(KeySpace space, byte[] key) {
        limits.checkKey(key);
        enterUsable();
        try {
            nativeBatch.delete(engine.handle(space), key);
            add(new BatchOp(BatchOp.Kind.DELETE, space, key.clone(), null));
        } catch (RocksDBException e) {
            throw RocksDbEngine.storageError("batch delete", e);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void deleteRange(KeySpace space, byte[] start, byte[] end) {
        limits.checkKey(start);
        limits.checkKey(end);
        enterUsable();
        try {
            if (Arrays.compareUnsigned(start, end) < 0) {
                nativeBatch.deleteRange(engine.handle(space), start, end);
            }
            add(new BatchOp(BatchOp.Kind.DELETE_RANGE, space, start.clone(), end.clone()));
        } catch (RocksDBException e) {
            throw RocksDbEngine.storageError("batch delete range", e);
        } finally {
            guard.exit();
        }
    }

    private void add(BatchOp op) {
        ops.add(op);
        opsPerSpace[op.space().ordinal()]++;
        bytes += op.key().length + (op.value() == null ? 0 : op.value().length);
    }

    /** Whether any operation of this batch is in {@code space}. */
    final boolean touches(KeySpace space) {
        return opsPerSpace[space.ordinal()] > 0;
    }

    @Override
    public int count() {
        return ops.size();
    }

    @Override
    public long byteSize() {
        return bytes;
    }

    @Override
    public byte[] encode() {
        enterUsable();
        try {
            return WriteBatchCodec.encode(ops);
        } finally {
            guard.exit();
        }
    }

    /** The native batch; call with the guard held, after {@link #checkUsableLocked()}. */
    org.rocksdb.WriteBatch nativeBatch() {
        return nativeBatch;
    }

    void checkUsableLocked() {
        if (released) {
            throw new StorageException("batch is closed");
        }
    }

    /** Takes the engine guard and checks the batch is open; pair with {@code guard.exit()}. */
    final void enterUsable() {
        guard.enter();
        if (released) {
            guard.exit();
            throw new StorageException("batch is closed");
        }
    }

    @Override
    public void close() {
        guard.closeChild(this);
    }

    @Override
    public boolean isReleased() {
        return released;
    }

    @Override
    public void releaseNative() {
        if (!released) {
            released = true;
            nativeBatch.close();
        }
    }
}
