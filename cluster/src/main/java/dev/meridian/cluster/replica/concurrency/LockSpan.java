package dev.meridian.cluster.replica.concurrency;

import java.util.Arrays;
import java.util.Objects;

/**
 * A key or key span a request touches, and how: a non-locking read ({@code locking == false})
 * or a write / locking read, which needs the keys' locks.
 *
 * @param key     the first key
 * @param endKey  the end of the span (exclusive), or {@code null} for the single key {@code key}
 * @param locking whether the request writes or locks the keys
 */
public record LockSpan(byte[] key, byte[] endKey, boolean locking) {
    public LockSpan {
        Objects.requireNonNull(key, "key");
        if (endKey != null && Arrays.compareUnsigned(key, endKey) >= 0) {
            throw new IllegalArgumentException("empty span: end " + Arrays.toString(endKey) + " <= start " + Arrays.toString(key));
        }
    }

    /** A single key. */
    public static LockSpan point(byte[] key, boolean locking) {
        return new LockSpan(key, null, locking);
    }

    boolean contains(byte[] k) {
        if (endKey == null) {
            return Arrays.equals(key, k);
        }
        return Arrays.compareUnsigned(k, key) >= 0 && Arrays.compareUnsigned(k, endKey) < 0;
    }
}
