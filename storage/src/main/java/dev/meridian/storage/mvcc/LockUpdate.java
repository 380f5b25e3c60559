package dev.meridian.storage.mvcc;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What intent resolution is told about a transaction.
 *
 * @param txnId       the transaction whose intents to resolve; intents of others are untouched
 * @param epoch       the transaction's epoch at the time of the update
 * @param status      PENDING (push to {@code timestamp}), COMMITTED (at {@code timestamp}) or ABORTED
 * @param timestamp   the commit timestamp, or the pushed timestamp for PENDING
 * @param ignoredSeqs writes rolled back to savepoints: never committed, dropped on a push
 */
public record LockUpdate(UUID txnId, int epoch, TxnStatus status, Timestamp timestamp, List<SeqRange> ignoredSeqs) {

    public LockUpdate {
        Objects.requireNonNull(txnId, "txnId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(timestamp, "timestamp");
        ignoredSeqs = List.copyOf(ignoredSeqs);
    }

    public static LockUpdate of(TxnMeta txn, TxnStatus status, Timestamp ts) {
        return new LockUpdate(txn.id(), txn.epoch(), status, ts, List.of());
    }
}
