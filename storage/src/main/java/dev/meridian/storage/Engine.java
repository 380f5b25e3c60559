package dev.meridian.storage;

/**
 * An ordered byte key-value store with separate {@link KeySpace key spaces}, atomic batches,
 * snapshots and size estimates. Implementations: {@code RocksDbEngine} (what nodes run) and
 * {@code InMemoryEngine} (for the simulator). Both pass {@code EngineContractTest}.
 *
 * <p>Reads on the engine itself see every batch written before the read began. Concurrent use
 * from several threads is allowed.
 */
public interface Engine extends EngineReader, AutoCloseable {

    /** A new empty batch for this engine; write it with {@link #write}. */
    WriteBatch newWriteBatch();

    /** A new empty batch whose reads see its own writes over this engine's live state. */
    ReadWriteBatch newReadWriteBatch();

    /**
     * Applies every operation of {@code batch} atomically. With {@link Durability#SYNCED} the
     * write is on stable storage when this returns. The batch may be reused or closed afterwards.
     *
     * @throws IllegalArgumentException if {@code batch} was made by another engine
     * @throws StorageException         if the batch or the engine is closed, or the write fails
     */
    void write(WriteBatch batch, Durability durability);

    /**
     * Applies a batch produced by {@link WriteBatch#encode()} on this or any other engine.
     *
     * @throws CorruptionException if the bytes are not a valid encoded batch; nothing is applied
     */
    void writeEncoded(byte[] encodedBatch, Durability durability);

    /** A consistent point-in-time view; close it when done. */
    EngineSnapshot newSnapshot();

    /**
     * The approximate number of bytes stored for keys in {@code [start, end)} of {@code space},
     * including data not yet flushed. Used to decide splits, so it need not be exact.
     */
    long approximateSize(KeySpace space, byte[] start, byte[] end);

    /** The size limits this engine enforces on writes. */
    EngineLimits limits();

    /** Flushes buffered writes and releases every resource; further use throws. */
    @Override
    void close();
}
