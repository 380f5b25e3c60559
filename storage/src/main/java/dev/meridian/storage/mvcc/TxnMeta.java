package dev.meridian.storage.mvcc;

import java.util.Arrays;
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
 * @param anchorKey      the key whose range holds the transaction's record (where a reader that
 *                       meets the intent pushes); empty when unknown (tests of this package)
 */
public record TxnMeta(UUID id, int epoch, Timestamp writeTimestamp, Timestamp minTimestamp, int sequence,
                      int priority, IsolationLevel isolation, byte[] anchorKey) {

    private static final byte[] NO_ANCHOR = new byte[0];

    public TxnMeta {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(anchorKey, "anchorKey");
        Objects.requireNonNull(writeTimestamp, "writeTimestamp");
        Objects.requireNonNull(minTimestamp, "minTimestamp");
        Objects.requireNonNull(isolation, "isolation");
        if (epoch < 0 || sequence < 0) {
            throw new IllegalArgumentException("epoch and sequence must be non-negative: " + epoch + ", " + sequence);
        }
    }

    /** A transaction without a known anchor key. */
    public TxnMeta(UUID id, int epoch, Timestamp writeTimestamp, Timestamp minTimestamp, int sequence,
                   int priority, IsolationLevel isolation) {
        this(id, epoch, writeTimestamp, minTimestamp, sequence, priority, isolation, NO_ANCHOR);
    }

    /** A serializable transaction at epoch 0, sequence 0, priority 0, that began at {@code ts}. */
    public static TxnMeta of(UUID id, Timestamp ts) {
        return new TxnMeta(id, 0, ts, ts, 0, 0, IsolationLevel.SERIALIZABLE);
    }

    public TxnMeta withWriteTimestamp(Timestamp ts) {
        return new TxnMeta(id, epoch, ts, minTimestamp, sequence, priority, isolation, anchorKey);
    }

    public TxnMeta withSequence(int seq) {
        return new TxnMeta(id, epoch, writeTimestamp, minTimestamp, seq, priority, isolation, anchorKey);
    }

    public TxnMeta withEpoch(int newEpoch) {
        return new TxnMeta(id, newEpoch, writeTimestamp, minTimestamp, sequence, priority, isolation, anchorKey);
    }

    public TxnMeta withPriority(int p) {
        return new TxnMeta(id, epoch, writeTimestamp, minTimestamp, sequence, p, isolation, anchorKey);
    }

    public TxnMeta withAnchorKey(byte[] key) {
        return new TxnMeta(id, epoch, writeTimestamp, minTimestamp, sequence, priority, isolation, key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TxnMeta t && id.equals(t.id) && epoch == t.epoch && writeTimestamp.equals(t.writeTimestamp)
                && minTimestamp.equals(t.minTimestamp) && sequence == t.sequence && priority == t.priority
                && isolation == t.isolation && Arrays.equals(anchorKey, t.anchorKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, epoch, writeTimestamp, minTimestamp, sequence, priority, isolation) * 31
                + Arrays.hashCode(anchorKey);
    }

    @Override
    public String toString() {
        return "TxnMeta[" + id + " epoch " + epoch + " @" + writeTimestamp + " min " + minTimestamp + " seq " + sequence
                + " prio " + priority + " " + isolation + " anchor " + Printable.bytes(anchorKey) + "]";
    }
}
