package dev.meridian.storage;

/**
 * An atomic group of writes. Batches are how MVCC evaluation hands its effects to Raft: the
 * leaseholder builds one, {@link #encode() encodes} it into the proposal, and every replica
 * applies the same bytes with {@link Engine#writeEncoded}. The encoding is Meridian's own and the
 * same for every engine implementation, so a RocksDB node and a simulated in-memory node apply
 * identical commands.
 */
public interface WriteBatch extends EngineWriter, AutoCloseable {

    /** Number of operations in the batch. */
    int count();

    /** Approximate size in bytes of the keys and values in the batch. */
    long byteSize();

    default boolean isEmpty() {
        return count() == 0;
    }

    /** The portable encoding of this batch (see {@link WriteBatchCodec}). */
    byte[] encode();

    @Override
    void close();
}
