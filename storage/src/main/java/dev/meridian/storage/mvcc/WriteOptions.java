package dev.meridian.storage.mvcc;

import java.util.List;
import java.util.Objects;

/**
 * Who writes, and at what timestamp.
 *
 * @param timestamp   the write timestamp; for a transaction, its {@code writeTimestamp}
 * @param txn         the writing transaction (its writes become intents at {@code txn.sequence()}),
 *                    or {@code null} for a non-transactional write that commits at once
 * @param ignoredSeqs the writer's writes rolled back to savepoints: invisible to the reads that
 *                    conditional puts and increments make
 */
public record WriteOptions(Timestamp timestamp, TxnMeta txn, List<SeqRange> ignoredSeqs) {

    public WriteOptions {
        Objects.requireNonNull(timestamp, "timestamp");
        ignoredSeqs = List.copyOf(ignoredSeqs);
        if (txn != null && !txn.writeTimestamp().equals(timestamp)) {
            throw new IllegalArgumentException("a transaction writes at its write timestamp " + txn.writeTimestamp()
                    + ", not " + timestamp);
        }
    }

    /** A non-transactional write at {@code ts}. */
    public static WriteOptions at(Timestamp ts) {
        return new WriteOptions(ts, null, List.of());
    }

    /** A write by {@code txn} at its write timestamp. */
    public static WriteOptions txn(TxnMeta txn) {
        return new WriteOptions(txn.writeTimestamp(), txn, List.of());
    }

    /** A write by {@code txn} that has rolled back {@code ignored}. */
    public static WriteOptions txn(TxnMeta txn, List<SeqRange> ignored) {
        return new WriteOptions(txn.writeTimestamp(), txn, ignored);
    }
}
