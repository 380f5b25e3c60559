package dev.meridian.storage.mvcc;

import dev.meridian.storage.EngineReader;
import dev.meridian.storage.ReadWriteBatch;

import java.util.List;
import java.util.Objects;

/**
 * The MVCC operations: stateless functions over an engine reader (reads) or a read-write batch
 * (writes, which read their own earlier writes in the batch), with explicit timestamps. The
 * semantics of every case are in the package documentation.
 *
 * <p>Write operations add their effect on the statistics to the {@link MvccStats} accumulator
 * they are given, and only when they return OK (or, for resolution and GC, change something):
 * a non-OK outcome writes nothing to the batch and leaves the stats alone. If the engine refuses
 * an entry (an {@link dev.meridian.storage.OversizedException}), the operation's earlier entries
 * are taken back out of the batch before the exception propagates.
 *
 * <p>Keys are opaque user byte strings; spans are {@code [start, end)} with {@code end == null}
 * meaning unbounded.
 */
public final class Mvcc {

    private Mvcc() {
    }

    /** Reads {@code key} as {@code options} sees it. */
    public static GetResult get(EngineReader reader, byte[] key, ReadOptions options) {
        return MvccReads.get(reader, key, options);
    }

    /** Reads the live rows of {@code [start, end)} in ascending key order. */
    public static ScanResult scan(EngineReader reader, byte[] start, byte[] end, ReadOptions options, ScanLimits limits) {
        return MvccReads.scan(reader, start, end, options, limits, false);
    }

    /** Reads the live rows of {@code [start, end)} in descending key order. */
    public static ScanResult reverseScan(EngineReader reader, byte[] start, byte[] end, ReadOptions options,
                                         ScanLimits limits) {
        return MvccReads.scan(reader, start, end, options, limits, true);
    }

    /** Writes {@code value} at {@code key}: a committed version, or the writer's intent. */
    public static WriteResult put(ReadWriteBatch batch, MvccStats stats, byte[] key, byte[] value, WriteOptions options) {
        Objects.requireNonNull(value, "value (use delete for a tombstone)");
        return MvccWrites.put(batch, stats, key, value.clone(), options);
    }

    /** Writes a tombstone at {@code key} (even if no value is live there). */
    public static WriteResult delete(ReadWriteBatch batch, MvccStats stats, byte[] key, WriteOptions options) {
        return MvccWrites.put(batch, stats, key, null, options);
    }

    /**
     * Writes tombstones for every key in {@code [start, end)} that the writer sees live. All keys
     * are checked first: if any is locked by another transaction the result lists every such
     * conflict; else if any has a committed version at or above the timestamp the result is
     * WRITE_TOO_OLD with the highest timestamp to move to; only then is anything written.
     */
    public static WriteResult deleteRange(ReadWriteBatch batch, MvccStats stats, byte[] start, byte[] end,
                                          WriteOptions options) {
        return MvccWrites.deleteRange(batch, stats, start, end, options);
    }

    /**
     * Writes {@code value} if the value the writer sees equals {@code expected} ({@code null}:
     * the key must be absent or deleted); otherwise CONDITION_FAILED with the actual value.
     */
    public static WriteResult conditionalPut(ReadWriteBatch batch, MvccStats stats, byte[] key, byte[] value,
                                             byte[] expected, WriteOptions options) {
        Objects.requireNonNull(value, "value");
        return MvccWrites.conditionalPut(batch, stats, key, value.clone(), expected, options);
    }

    /**
     * Adds {@code delta} to the 8-byte big-endian integer at {@code key} (absent counts as 0) and
     * returns the new value in {@link WriteResult#value()}.
     *
     * @throws IllegalArgumentException if the value seen is not 8 bytes long
     * @throws ArithmeticException      if the sum overflows
     */
    public static WriteResult increment(ReadWriteBatch batch, MvccStats stats, byte[] key, long delta,
                                        WriteOptions options) {
        return MvccWrites.increment(batch, stats, key, delta, options);
    }

    /** Resolves the intent on {@code key} if it belongs to {@code update}'s transaction. */
    public static ResolveOutcome resolveIntent(ReadWriteBatch batch, MvccStats stats, byte[] key, LockUpdate update) {
        return IntentResolver.resolve(batch, stats, key, update);
    }

    /**
     * Resolves the intents of {@code update}'s transaction in {@code [start, end)}, at most
     * {@code maxIntents} of them (0: all); the result's resume span holds the rest.
     */
    public static ResolveRangeResult resolveIntentRange(ReadWriteBatch batch, MvccStats stats, byte[] start,
                                                        byte[] end, LockUpdate update, int maxIntents) {
        return IntentResolver.resolveRange(batch, stats, start, end, update, maxIntents);
    }

    /** Garbage-collects the versions of {@code keys} that no read at or above {@code threshold} can see. */
    public static GcResult garbageCollect(ReadWriteBatch batch, MvccStats stats, List<byte[]> keys, Timestamp threshold) {
        return MvccGc.collect(batch, stats, keys, threshold);
    }

    /** Garbage-collects every key of {@code [start, end)}; see {@link #garbageCollect}. */
    public static GcResult garbageCollectRange(ReadWriteBatch batch, MvccStats stats, byte[] start, byte[] end,
                                               Timestamp threshold) {
        return MvccGc.collect(batch, stats, KeyWalker.userKeys(batch, start, end), threshold);
    }

    /** The statistics of {@code [start, end)} computed from scratch (verifying every checksum). */
    public static MvccStats computeStats(EngineReader reader, byte[] start, byte[] end) {
        return StatsComputer.compute(reader, start, end);
    }

    /**
     * Whether a transaction that read {@code [start, end)} at {@code from} may move its reads to
     * {@code to}: OK unless a committed version in {@code (from, to]} or another transaction's
     * intent at or below {@code to} is there. The transaction's own intents ({@code txnId}) never
     * count. An empty {@code end} means the single key {@code start}.
     */
    public static RefreshResult refresh(EngineReader reader, byte[] start, byte[] end, Timestamp from, Timestamp to,
                                        java.util.UUID txnId) {
        byte[] stop = end.length == 0 ? java.util.Arrays.copyOf(start, start.length + 1) : end;
        return MvccRefresh.check(reader, start, stop, from, to, txnId);
    }

    /** The lock record on {@code key}, or {@code null} if it has no intent. */
    public static LockRecord readLock(EngineReader reader, byte[] key) {
        return KeyState.load(reader, key).lock;
    }
}
