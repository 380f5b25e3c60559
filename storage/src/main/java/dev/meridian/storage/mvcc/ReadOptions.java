package dev.meridian.storage.mvcc;

import java.util.List;
import java.util.Objects;

/**
 * How a read sees the key space.
 *
 * @param timestamp        the read timestamp T: committed versions at or below T are visible
 * @param uncertaintyLimit L: versions and intents of others in (T, L] make the read uncertain or
 *                         conflicting; {@code L <= T} means no uncertainty interval
 * @param txn              the reading transaction (reads its own writes at {@code txn.sequence()}
 *                         in {@code txn.epoch()}), or {@code null} for a non-transactional read
 * @param ignoredSeqs      the reader's writes rolled back to savepoints; invisible to it
 */
public record ReadOptions(Timestamp timestamp, Timestamp uncertaintyLimit, TxnMeta txn, List<SeqRange> ignoredSeqs) {

    public ReadOptions {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(uncertaintyLimit, "uncertaintyLimit");
        ignoredSeqs = List.copyOf(ignoredSeqs);
    }

    /** A non-transactional read at {@code ts} with no uncertainty. */
    public static ReadOptions at(Timestamp ts) {
        return new ReadOptions(ts, ts, null, List.of());
    }

    /** A read by {@code txn} at {@code ts}. */
    public static ReadOptions txn(TxnMeta txn, Timestamp ts) {
        return new ReadOptions(ts, ts, txn, List.of());
    }

    public ReadOptions withUncertaintyLimit(Timestamp limit) {
        return new ReadOptions(timestamp, limit, txn, ignoredSeqs);
    }

    public ReadOptions withIgnoredSeqs(List<SeqRange> ignored) {
        return new ReadOptions(timestamp, uncertaintyLimit, txn, ignored);
    }

    /** The highest timestamp a version may have to matter to this read: max(T, L). */
    Timestamp horizon() {
        return timestamp.forward(uncertaintyLimit);
    }
}
