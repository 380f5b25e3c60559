package dev.meridian.cluster.replica.latch;

/**
 * The latches of one request, held until {@link #close()}. Use with try-with-resources.
 * Thread-safe; closing more than once releases once.
 */
public interface LatchGuard extends AutoCloseable {

    /** Releases the latches and wakes the requests that waited for them. Idempotent. */
    @Override
    void close();
}
