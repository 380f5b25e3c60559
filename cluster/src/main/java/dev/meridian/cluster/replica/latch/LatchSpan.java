package dev.meridian.cluster.replica.latch;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One span a request latches: the point key {@code start} when {@code end} is null, else the
 * range [start, end) in unsigned byte order. A write span conflicts with every overlapping span;
 * read spans share with each other.
 *
 * <p>Immutable: the arrays are copied in and out.
 *
 * @param start the first key (the only key for a point)
 * @param end   the end of a range, exclusive, or null for a point
 * @param write whether the request writes in the span
 */
public record LatchSpan(byte[] start, byte[] end, boolean write) {

    /**
     * @throws NullPointerException     if {@code start} is null
     * @throws IllegalArgumentException if {@code end} is not after {@code start}
     */
    public LatchSpan {
        Objects.requireNonNull(start, "start");
        start = start.clone();
        if (end != null) {
            if (Arrays.compareUnsigned(start, end) >= 0) {
                throw new IllegalArgumentException("empty latch span: end " + HexFormat.of().formatHex(end)
                        + " is not after start " + HexFormat.of().formatHex(start));
            }
            end = end.clone();
        }
    }

    /** A read latch on one key. */
    public static LatchSpan readPoint(byte[] key) {
        return new LatchSpan(key, null, false);
    }

    /** A write latch on one key. */
    public static LatchSpan writePoint(byte[] key) {
        return new LatchSpan(key, null, true);
    }

    /** A read latch on [start, end). */
    public static LatchSpan readRange(byte[] start, byte[] end) {
        return new LatchSpan(start, end, false);
    }

    /** A write latch on [start, end). */
    public static LatchSpan writeRange(byte[] start, byte[] end) {
        return new LatchSpan(start, end, true);
    }

    @Override
    public byte[] start() {
        return start.clone();
    }

    @Override
    public byte[] end() {
        return end == null ? null : end.clone();
    }

    /** Whether this is a single key. */
    public boolean isPoint() {
        return end == null;
    }

    /** Whether a request holding this span and one holding {@code other} must not run together. */
    public boolean conflictsWith(LatchSpan other) {
        return (write || other.write) && overlaps(other);
    }

    /** Whether the two spans share a key. */
    public boolean overlaps(LatchSpan other) {
        if (end == null && other.end == null) {
            return Arrays.equals(start, other.start);
        }
        if (end == null) {
            return other.contains(start);
        }
        if (other.end == null) {
            return contains(other.start);
        }
        return Arrays.compareUnsigned(start, other.end) < 0 && Arrays.compareUnsigned(other.start, end) < 0;
    }

    private boolean contains(byte[] key) {
        return Arrays.compareUnsigned(start, key) <= 0 && Arrays.compareUnsigned(key, end) < 0;
    }

    /** The start key without a copy, for the manager's index; never modified. */
    byte[] startKey() {
        return start;
    }

    /** The end key without a copy (null for a point), for the manager's index; never modified. */
    byte[] endKey() {
        return end;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatchSpan s && write == s.write && Arrays.equals(start, s.start) && Arrays.equals(end, s.end);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(start) + Arrays.hashCode(end)) + Boolean.hashCode(write);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return (write ? "write " : "read ") + hex.formatHex(start) + (end == null ? "" : ".." + hex.formatHex(end));
    }
}
