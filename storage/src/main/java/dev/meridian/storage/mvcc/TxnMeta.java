package dev.meridian.storage.mvcc;

import java.util.Objects;
import java.util.UUID;

/**
 * What MVCC knows of a transaction: enough to name the lock holder in a conflict and to decide
 * which of its writes a read or a resolution sees. Stored in every lock record.
 *
 * @param id             the transaction's id
 * @param epoch          incremented on every restart; writes of an older epoch are never committed
 * @param writeTimestamp the timestamp the transaction writes (and would commit) at
 * @param minTimestamp   the lowest timestamp the transaction ever had (its first read timestamp)
 * @param sequence       the sequence number of the current operation: a write records it in the
 *                       intent history, a read sees its own writes with a sequence {@code <=} it
 * @param priority       the priority used by conflict resolution (higher wins pushes)
 * @param isolation      the isolation level
 */
public record TxnMeta(UUID id, int epoch, Timestamp writeTimestamp, Timestamp minTimestamp, int sequence,
                      int priority, IsolationLevel isolation) {

    public TxnMeta {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(writeTimestamp, "writeTimestamp");
        Objects.requireNonNull(minTimestamp, "minTimestamp");
        Objects.requireNonNull(isolation, "isolation");
        if (epoch < 0 || sequence < 0) {
            throw new IllegalArgumentException("epoch and sequence must be non-negative: " + epoch + ", " + sequence);
        }
    }

    /** A serializable transaction at epoch 0, sequence 0, priority 0, that began at {@code ts}. */
    public static TxnMeta of(UUID id, Timestamp ts) {
        return new TxnMeta(id, 0, ts, ts, 0, 0, IsolationLevel.SERIALIZABLE);
    }

    public TxnMeta withWriteTimestamp(Timestamp ts) {
        return new TxnMeta(id, epoch, ts, minTimestamp, sequence, priority, isolation);
    }

    public TxnMeta withSequence(int seq) {
        return new TxnMeta(id, epoch, writeTimestamp, minTimestamp, seq, priority, isolation);
    }

    public TxnMeta withEpoch(int newEpoch) {
        return new TxnMeta(id, newEpoch, writeTimestamp, minTimestamp, sequence, priority, isolation);
    }
}
