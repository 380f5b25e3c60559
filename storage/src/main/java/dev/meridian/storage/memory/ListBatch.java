package dev.meridian.storage.memory;

import dev.meridian.storage.BatchOp;
import dev.meridian.storage.EngineLimits;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.StorageException;
import dev.meridian.storage.WriteBatch;
import dev.meridian.storage.WriteBatchCodec;

import java.util.ArrayList;
import java.util.List;

/** A write batch of the in-memory engine: the operations in order. */
class ListBatch implements WriteBatch {
    private final EngineLimits limits;
    private final InMemoryEngine owner;
    private final List<BatchOp> ops = new ArrayList<>();
    private long bytes;
    private boolean closed;

    /** The batch belongs to {@code owner}: it dies when that engine closes. */
    ListBatch(EngineLimits limits, InMemoryEngine owner) {
        this.limits = limits;
        this.owner = owner;
    }

    boolean belongsTo(InMemoryEngine engine) {
        return owner == engine;
    }

    @Override
    public void put(KeySpace space, byte[] key, byte[] value) {
        checkOpen();
        limits.checkKey(key);
        limits.checkValue(value);
        add(new BatchOp(BatchOp.Kind.PUT, space, key.clone(), value.clone()));
    }

    @Override
    public void delete(KeySpace space, byte[] key) {
        checkOpen();
        limits.checkKey(key);
        add(new BatchOp(BatchOp.Kind.DELETE, space, key.clone(), null));
    }

    @Override
    public void deleteRange(KeySpace space, byte[] start, byte[] end) {
        checkOpen();
        limits.checkKey(start);
        limits.checkKey(end);
        add(new BatchOp(BatchOp.Kind.DELETE_RANGE, space, start.clone(), end.clone()));
    }

    void add(BatchOp op) {
        ops.add(op);
        bytes += op.key().length + (op.value() == null ? 0 : op.value().length);
    }

    List<BatchOp> ops() {
        return ops;
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
        checkOpen();
        return WriteBatchCodec.encode(ops);
    }

    @Override
    public void close() {
        closed = true;
    }

    void checkOpen() {
        owner.checkOpen();
        if (closed) {
            throw new StorageException("batch is closed");
        }
    }
}
