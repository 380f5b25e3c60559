package dev.meridian.storage.mvcc;

/**
 * A hybrid logical clock timestamp: physical wall time in nanoseconds plus a logical counter
 * that orders events within one wall time. Totally ordered, wall time first.
 *
 * <p>MVCC code only ever receives timestamps; it never reads a clock (BRIEF.md).
 *
 * @param wallNanos nanoseconds since the Unix epoch, {@code >= 0}
 * @param logical   the logical counter, {@code >= 0}
 */
public record Timestamp(long wallNanos, int logical) implements Comparable<Timestamp> {

    /** The zero timestamp, below every real one. */
    public static final Timestamp ZERO = new Timestamp(0, 0);

    /** The largest timestamp; reads at MAX see every committed version. */
    public static final Timestamp MAX = new Timestamp(Long.MAX_VALUE, Integer.MAX_VALUE);

    public Timestamp {
        if (wallNanos < 0 || logical < 0) {
            throw new IllegalArgumentException("timestamp parts must be non-negative: " + wallNanos + "," + logical);
        }
    }

    public static Timestamp of(long wallNanos, int logical) {
        return new Timestamp(wallNanos, logical);
    }

    public static Timestamp ofWall(long wallNanos) {
        return new Timestamp(wallNanos, 0);
    }

    @Override
    public int compareTo(Timestamp o) {
        int c = Long.compare(wallNanos, o.wallNanos);
        return c != 0 ? c : Integer.compare(logical, o.logical);
    }

    public boolean isZero() {
        return wallNanos == 0 && logical == 0;
    }

    public boolean less(Timestamp o) {
        return compareTo(o) < 0;
    }

    public boolean lessEq(Timestamp o) {
        return compareTo(o) <= 0;
    }

    /** The smallest timestamp greater than this one. */
    public Timestamp next() {
        if (logical == Integer.MAX_VALUE) {
            if (wallNanos == Long.MAX_VALUE) {
                throw new ArithmeticException("no timestamp after MAX");
            }
            return new Timestamp(wallNanos + 1, 0);
        }
        return new Timestamp(wallNanos, logical + 1);
    }

    /** The largest timestamp smaller than this one. */
    public Timestamp prev() {
        if (logical > 0) {
            return new Timestamp(wallNanos, logical - 1);
        }
        if (wallNanos == 0) {
            throw new ArithmeticException("no timestamp before ZERO");
        }
        return new Timestamp(wallNanos - 1, Integer.MAX_VALUE);
    }

    /** The later of this and {@code other}: moving a timestamp forward never moves it back. */
    public Timestamp forward(Timestamp other) {
        return compareTo(other) >= 0 ? this : other;
    }

    /** The earlier of this and {@code other}. */
    public Timestamp backward(Timestamp other) {
        return compareTo(other) <= 0 ? this : other;
    }

    /** {@code wall,logical}, e.g. {@code 10,0}; the form scenario files use. */
    @Override
    public String toString() {
        return wallNanos + "," + logical;
    }

    /** Parses {@link #toString()}'s form; a bare number means logical 0. */
    public static Timestamp parse(String s) {
        int comma = s.indexOf(',');
        if (comma < 0) {
            return ofWall(Long.parseLong(s.trim()));
        }
        return new Timestamp(Long.parseLong(s.substring(0, comma).trim()),
                Integer.parseInt(s.substring(comma + 1).trim()));
    }
}
