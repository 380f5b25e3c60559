package dev.meridian.storage;

/**
 * Write operations collected into a batch. Nothing is visible to other readers until the batch is
 * written with {@link Engine#write}; then all of it is, atomically.
 *
 * <p>Keys and values larger than the engine's {@link EngineLimits} are refused with
 * {@link OversizedException} and the batch is left unchanged.
 */
public interface EngineWriter {

    void put(KeySpace space, byte[] key, byte[] value);

    /** Removes {@code key}; removing an absent key is not an error. */
    void delete(KeySpace space, byte[] key);

    /** Removes every key in {@code [start, end)}. */
    void deleteRange(KeySpace space, byte[] start, byte[] end);
}
