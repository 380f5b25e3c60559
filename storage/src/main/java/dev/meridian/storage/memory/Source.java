package dev.meridian.storage.memory;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A navigable view of one key space: the four neighbour look-ups are all an iterator needs, and
 * two sources merge without the direction-switching care that merging cursors takes.
 * A returned entry's value is {@code null} for a key deleted in this source (a tombstone that
 * must hide the same key in sources below it).
 */
interface Source {
    Comparator<byte[]> ORDER = Arrays::compareUnsigned;

    record Entry(byte[] key, byte[] value) {
        boolean deleted() {
            return value == null;
        }
    }

    Entry ceiling(byte[] key);

    Entry higher(byte[] key);

    Entry floor(byte[] key);

    Entry lower(byte[] key);

    /** First key, or null. */
    Entry first();

    /** Last key, or null. */
    Entry last();
}
