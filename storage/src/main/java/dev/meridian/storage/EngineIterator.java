package dev.meridian.storage;

/**
 * A bidirectional cursor over a bounded span of one key space. It sees a consistent view: the
 * state of its reader when the iterator was created.
 *
 * <p>Seeks and moves stay within the bounds the iterator was created with: {@link #valid()} turns
 * false past either end. {@link #key()} and {@link #value()} may only be called while valid.
 */
public interface EngineIterator extends AutoCloseable {

    /** Positions at the first key {@code >= key} (clamped to the lower bound). */
    void seek(byte[] key);

    /** Positions at the last key {@code <= key} (clamped to the upper bound, exclusive). */
    void seekForPrev(byte[] key);

    /** Positions at the first key within the bounds. */
    void seekToFirst();

    /** Positions at the last key within the bounds. */
    void seekToLast();

    boolean valid();

    void next();

    void prev();

    /** The current key; a fresh array owned by the caller. */
    byte[] key();

    /** The current value; a fresh array owned by the caller. */
    byte[] value();

    @Override
    void close();
}
