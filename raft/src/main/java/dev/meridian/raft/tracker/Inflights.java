package dev.meridian.raft.tracker;

/**
 * The appends sent to one follower and not yet acknowledged, as a bounded window: at most
 * {@code maxCount} messages and {@code maxBytes} payload bytes (0 means no byte limit). The
 * window is "full" once either bound is reached; one message may overshoot the byte limit so
 * that a single large entry is never stuck.
 *
 * <p>Entries are added in increasing last-index order, so a cumulative acknowledgement frees a
 * prefix. Backed by a ring buffer allocated once.
 */
public final class Inflights {

    private final int maxCount;
    private final long maxBytes;
    private final long[] lastIndexes;
    private final long[] sizes;
    private int start;
    private int count;
    private long bytes;

    public Inflights(int maxCount, long maxBytes) {
        if (maxCount <= 0) {
            throw new IllegalArgumentException("maxCount must be positive: " + maxCount);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
        }
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
        this.lastIndexes = new long[maxCount];
        this.sizes = new long[maxCount];
    }

    /** Records an append whose last entry is {@code lastIndex}. The caller checks {@link #full()} first. */
    public void add(long lastIndex, long size) {
        if (full()) {
            throw new IllegalStateException("cannot add to a full in-flight window");
        }
        if (count > 0 && lastIndex <= lastIndexes[(start + count - 1) % maxCount]) {
            throw new IllegalArgumentException("in-flight indexes must increase: " + lastIndex);
        }
        int slot = (start + count) % maxCount;
        lastIndexes[slot] = lastIndex;
        sizes[slot] = size;
        count++;
        bytes += size;
    }

    /** Frees every message whose last index is at or below {@code index}: they are acknowledged. */
    public void freeLE(long index) {
        while (count > 0 && lastIndexes[start] <= index) {
            bytes -= sizes[start];
            start = (start + 1) % maxCount;
            count--;
        }
        if (count == 0) {
            start = 0;
        }
    }

    /**
     * Frees the oldest message. Used when a heartbeat answer shows the follower is alive while
     * the window is full: the appends that filled it may all have been lost, and without a slot
     * no append would ever be sent again to find out.
     */
    public void freeFirstOne() {
        if (count > 0) {
            freeLE(lastIndexes[start]);
        }
    }

    public boolean full() {
        return count == maxCount || (maxBytes > 0 && bytes >= maxBytes);
    }

    public int count() {
        return count;
    }

    public long bytes() {
        return bytes;
    }

    public void reset() {
        start = 0;
        count = 0;
        bytes = 0;
    }
}
