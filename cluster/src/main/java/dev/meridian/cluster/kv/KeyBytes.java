package dev.meridian.cluster.kv;

import dev.meridian.cluster.keys.Keys;

import java.util.Arrays;

/**
 * A key as a map key: equality and hash by content, order by {@link Keys#compare} (unsigned
 * bytes). The array is not copied: callers hand over arrays they no longer change.
 */
record KeyBytes(byte[] bytes) implements Comparable<KeyBytes> {

    @Override
    public int compareTo(KeyBytes o) {
        return Keys.compare(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyBytes k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return Keys.pretty(bytes);
    }
}
