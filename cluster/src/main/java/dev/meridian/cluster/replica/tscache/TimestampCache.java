package dev.meridian.cluster.replica.tscache;

import dev.meridian.storage.mvcc.Timestamp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The leaseholder's record of reads: for every key, the highest timestamp at which it was read
 * and the transaction that alone holds that maximum (see the package documentation for why).
 *
 * <p>Every key starts at the low-water mark, owned by nobody. Reads are added as spans; a query
 * returns the highest timestamp over a key or span and its owner. Memory is bounded: when more
 * than {@code maxEntries} intervals are held, the lowest-timestamp intervals are forgotten and
 * the low-water mark rises to cover them, so an answer may be too high but never too low.
 *
 * <p>Representation: disjoint, non-empty intervals {@code [start, end)} keyed by start in a
 * {@link TreeMap} (keys compared unsigned-lexicographically), each with its value
 * (timestamp, owner); every stored timestamp is above the low-water mark, and keys outside every
 * interval are at the low-water mark. A second ordered set sorts the intervals by timestamp, so
 * that eviction and {@link #raiseLowWater} find the lowest ones without a scan.
 *
 * <p>Complexity, with n intervals held and k of them overlapping the span at hand:
 * {@link #add} and {@link #max} take O((k + 1) log n); {@link #raiseLowWater} and eviction take
 * O((d + 1) log n) for d intervals dropped. Every add creates at most k + 3 intervals, so the
 * drops are paid for by the adds.
 *
 * <p>Not thread-safe: the replica calls it under its own lock. Deterministic: no clock, no
 * randomness, no hash-ordered iteration.
 */
public final class TimestampCache {

    /**
     * The highest read timestamp over a key or span, and the transaction that alone holds it.
     *
     * @param ts  the highest timestamp, never null
     * @param txn the one transaction whose reads hold {@code ts}, or null when nobody owns it:
     *            a read without a transaction, reads of two different transactions, or the
     *            low-water mark hold it too
     */
    public record Entry(Timestamp ts, UUID txn) {
        public Entry {
            if (ts == null) {
                throw new IllegalArgumentException("an entry needs a timestamp");
            }
        }

        /**
         * The higher of two entries; at a tie the owner survives only if both name the same
         * transaction. Associative, commutative and idempotent, so the order in which reads
         * and intervals are combined never changes an answer.
         */
        Entry join(Entry o) {
            int c = ts.compareTo(o.ts);
            if (c != 0) {
                return c > 0 ? this : o;
            }
            return txn != null && txn.equals(o.txn) ? this : new Entry(ts, null);
        }
    }

    /** One stored interval [start, end) of keys whose value is {@code value}. */
    private record Span(byte[] start, byte[] end, Entry value) {
    }

    private static final Comparator<byte[]> KEY_ORDER = Arrays::compareUnsigned;
    private static final Comparator<Span> BY_TIMESTAMP =
            Comparator.comparing((Span s) -> s.value().ts()).thenComparing(Span::start, KEY_ORDER);

    private final long maxEntries;
    /** The intervals by start key; disjoint, non-empty, every timestamp above {@link #lowWater}. */
    private final TreeMap<byte[], Span> byStart = new TreeMap<>(KEY_ORDER);
    /** The same intervals, lowest timestamp first. */
    private final TreeSet<Span> byTimestamp = new TreeSet<>(BY_TIMESTAMP);
    private Timestamp lowWater;

    /**
     * An empty cache: every key at {@code lowWater}, owned by nobody.
     *
     * @param lowWater   the timestamp every key starts at, e.g. the lease start
     * @param maxEntries the most intervals held at once, {@code >= 1}
     * @throws IllegalArgumentException if {@code lowWater} is null or {@code maxEntries < 1}
     */
    public TimestampCache(Timestamp lowWater, long maxEntries) {
        if (lowWater == null) {
            throw new IllegalArgumentException("the low-water mark must not be null");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        }
        this.lowWater = lowWater;
        this.maxEntries = maxEntries;
    }

    /**
     * Records a read of {@code [start, end)} at {@code ts} by {@code txn}. A read at or below the
     * low-water mark changes nothing: the mark already covers it, owned by nobody. May evict
     * (see the class documentation). The arrays are copied; the caller may reuse them.
     *
     * @param start the first key read
     * @param end   the end of the span, exclusive; null for the single key {@code start}
     * @param ts    the read timestamp
     * @param txn   the reading transaction, or null for a read outside a transaction
     * @throws IllegalArgumentException if {@code start} or {@code ts} is null or
     *                                  {@code start >= end}; the cache is then unchanged
     */
    public void add(byte[] start, byte[] end, Timestamp ts, UUID txn) {
        byte[] from = start == null ? null : start.clone();
        byte[] to = spanEnd(from, end);
        if (ts == null) {
            throw new IllegalArgumentException("a read needs a timestamp");
        }
        if (ts.lessEq(lowWater)) {
            return;
        }
        Entry read = new Entry(ts, txn);
        splitAt(from);
        splitAt(to);
        List<Span> replaced = new ArrayList<>(byStart.subMap(from, true, to, false).values());
        byte[] cursor = from;
        List<Span> pieces = new ArrayList<>();
        for (Span old : replaced) {
            if (less(cursor, old.start())) {
                pieces.add(new Span(cursor, old.start(), read));
            }
            pieces.add(new Span(old.start(), old.end(), old.value().join(read)));
            cursor = old.end();
        }
        if (less(cursor, to)) {
            pieces.add(new Span(cursor, to, read));
        }
        replaced.forEach(this::remove);
        pieces.forEach(this::put);
        coalesce(from, to);
        evictOverflow();
    }

    /**
     * The highest read timestamp of {@code key} and its owner.
     *
     * @throws IllegalArgumentException if {@code key} is null
     */
    public Entry max(byte[] key) {
        return max(key, null);
    }

    /**
     * The highest read timestamp over {@code [start, end)} and the transaction that alone holds
     * it (null if a read without a transaction, another transaction or the low-water mark holds
     * it too). Never lower than the low-water mark.
     *
     * @param end the end of the span, exclusive; null for the single key {@code start}
     * @throws IllegalArgumentException if {@code start} is null or {@code start >= end}
     */
    public Entry max(byte[] start, byte[] end) {
        byte[] to = spanEnd(start, end);
        Entry result = new Entry(lowWater, null);
        Map.Entry<byte[], Span> before = byStart.lowerEntry(start);
        if (before != null && less(start, before.getValue().end())) {
            result = result.join(before.getValue().value());
        }
        for (Span s : byStart.subMap(start, true, to, false).values()) {
            result = result.join(s.value());
        }
        return result;
    }

    /**
     * Raises every key to at least {@code ts}, owned by nobody at {@code ts}; a new leaseholder
     * calls it with the lease start. A lower or equal {@code ts} changes nothing.
     *
     * @throws IllegalArgumentException if {@code ts} is null
     */
    public void raiseLowWater(Timestamp ts) {
        if (ts == null) {
            throw new IllegalArgumentException("the low-water mark must not be null");
        }
        if (ts.lessEq(lowWater)) {
            return;
        }
        lowWater = ts;
        dropCoveredByLowWater();
    }

    /** The timestamp every key is at least at. Only ever rises. */
    public Timestamp lowWater() {
        return lowWater;
    }

    /** The number of intervals held; at most {@code maxEntries} between calls. */
    public int size() {
        return byStart.size();
    }

    /** Forgets the lowest intervals until at most maxEntries remain; answers only rise. */
    private void evictOverflow() {
        while (byStart.size() > maxEntries) {
            // Always drops at least the lowest interval, whatever the mark was.
            lowWater = lowWater.forward(byTimestamp.first().value().ts());
            dropCoveredByLowWater();
        }
    }

    /**
     * Drops the intervals at or below the mark. They say nothing the mark does not: at a tie
     * the mark takes the owner away, which is also what a gap answers.
     */
    private void dropCoveredByLowWater() {
        while (!byTimestamp.isEmpty() && byTimestamp.first().value().ts().lessEq(lowWater)) {
            byStart.remove(byTimestamp.pollFirst().start());
        }
    }

    /** Cuts the interval that strictly contains {@code key}, if any, into two at {@code key}. */
    private void splitAt(byte[] key) {
        Map.Entry<byte[], Span> e = byStart.lowerEntry(key);
        if (e == null || !less(key, e.getValue().end())) {
            return;
        }
        Span s = e.getValue();
        remove(s);
        put(new Span(s.start(), key, s.value()));
        put(new Span(key, s.end(), s.value()));
    }

    /**
     * Joins touching intervals with equal values from the one before {@code from} to the one
     * starting at {@code to}, undoing the splits that changed nothing.
     */
    private void coalesce(byte[] from, byte[] to) {
        Map.Entry<byte[], Span> e = byStart.lowerEntry(from);
        Span prev = e == null ? null : e.getValue();
        for (Span cur : new ArrayList<>(byStart.subMap(from, true, to, true).values())) {
            if (prev != null && Arrays.equals(prev.end(), cur.start()) && prev.value().equals(cur.value())) {
                remove(prev);
                remove(cur);
                prev = new Span(prev.start(), cur.end(), cur.value());
                put(prev);
            } else {
                prev = cur;
            }
        }
    }

    private void put(Span s) {
        byStart.put(s.start(), s);
        byTimestamp.add(s);
    }

    private void remove(Span s) {
        byStart.remove(s.start());
        byTimestamp.remove(s);
    }

    /**
     * The exclusive end of a span: {@code end}, or for a single key the key followed by a zero
     * byte, the next key in unsigned-lexicographic order. Validates the span.
     */
    private static byte[] spanEnd(byte[] start, byte[] end) {
        if (start == null) {
            throw new IllegalArgumentException("a span needs a start key");
        }
        if (end == null) {
            return Arrays.copyOf(start, start.length + 1);
        }
        if (!less(start, end)) {
            throw new IllegalArgumentException("empty span: start " + Arrays.toString(start)
                    + " is not below end " + Arrays.toString(end));
        }
        return end.clone();
    }

    private static boolean less(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) < 0;
    }
}
