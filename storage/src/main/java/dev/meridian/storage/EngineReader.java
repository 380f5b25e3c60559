package dev.meridian.storage;

/**
 * Read access to an ordered byte key-value store: the live engine, a snapshot, or a batch read
 * through to the engine.
 *
 * <p>Keys compare as unsigned bytes, lexicographically (shorter prefix first), in every
 * implementation. Returned arrays are owned by the caller.
 */
public interface EngineReader {

    /** The value stored at {@code key}, or {@code null} when there is none. */
    byte[] get(KeySpace space, byte[] key);

    /**
     * An iterator over the keys of {@code space} in {@code [lowerBound, upperBound)}; either bound
     * may be {@code null} for "unbounded". The iterator starts unpositioned: call one of its seek
     * methods first. It must be closed.
     */
    EngineIterator iterator(KeySpace space, byte[] lowerBound, byte[] upperBound);

    /**
     * Like {@link #iterator}, with the same results, for a read that most likely finds nothing,
     * such as the check before writing a new key: an engine may consult filters first, which
     * saves searching files that lack the keys and costs a little when they have them.
     */
    default EngineIterator probe(KeySpace space, byte[] lowerBound, byte[] upperBound) {
        return iterator(space, lowerBound, upperBound);
    }
}
