package dev.meridian.storage.mvcc;

import java.util.List;

/**
 * An inclusive range of sequence numbers of one transaction that were rolled back to a savepoint:
 * writes with a sequence number in it are invisible to every read and are never committed.
 *
 * @param start first ignored sequence number
 * @param end   last ignored sequence number, {@code >= start}
 */
public record SeqRange(int start, int end) {

    public SeqRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad ignored sequence range " + start + "-" + end);
        }
    }

    public boolean contains(int seq) {
        return start <= seq && seq <= end;
    }

    /** Whether {@code seq} falls in any of {@code ranges}. */
    public static boolean anyContains(List<SeqRange> ranges, int seq) {
        for (SeqRange r : ranges) {
            if (r.contains(seq)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
