package dev.meridian.raft;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One entry of the replicated log. Two entries with the same index and term are the same entry
 * (log matching), whichever node holds them.
 *
 * @param term  the leader term in which the entry was created
 * @param index its position in the log, from 1
 * @param type  normal data or a membership change
 * @param data  the payload; treated as immutable, never modified after construction
 */
public record Entry(long term, long index, EntryType type, byte[] data) {

    private static final byte[] NONE = new byte[0];

    public Entry {
        if (term < 0 || index < 0) {
            throw new IllegalArgumentException("negative term or index: " + term + "/" + index);
        }
        data = data == null ? NONE : data;
    }

    public static Entry normal(long term, long index, byte[] data) {
        return new Entry(term, index, EntryType.NORMAL, data);
    }

    /** The same entry at another position and term: how a proposal gets its place in the log. */
    Entry at(long newTerm, long newIndex) {
        return new Entry(newTerm, newIndex, type, data);
    }

    /** Payload size, the unit of message and in-flight byte limits. */
    public long size() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && e.term == term && e.index == index && e.type == type && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(term) * 31 + Long.hashCode(index) * 17 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        String payload = type == EntryType.CONF_CHANGE ? ConfChange.decode(data).toString()
                : '"' + new String(data, StandardCharsets.UTF_8) + '"';
        return term + "/" + index + (type == EntryType.CONF_CHANGE ? " conf " : " ") + payload;
    }
}
