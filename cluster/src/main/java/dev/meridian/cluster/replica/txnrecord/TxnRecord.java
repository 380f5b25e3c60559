package dev.meridian.cluster.replica.txnrecord;

import dev.meridian.storage.mvcc.Span;
import dev.meridian.storage.mvcc.Timestamp;
import dev.meridian.storage.mvcc.TxnMeta;

import java.util.List;
import java.util.Objects;

/**
 * A transaction's record on its anchor range.
 *
 * @param meta           id, epoch, write timestamp (the commit timestamp once committed), priority
 * @param anchorKey      the key whose range holds the record (the transaction's first write)
 * @param status         where the transaction stands
 * @param lastHeartbeat  the latest heartbeat (or the transaction's start when none came yet)
 * @param inFlightWrites for STAGING: the writes that must all succeed for the commit to stand
 * @param lockSpans      the spans of the transaction's intents, for resolving them at the end
 */
public record TxnRecord(TxnMeta meta, byte[] anchorKey, Status status, Timestamp lastHeartbeat,
                        List<InFlightWrite> inFlightWrites, List<Span> lockSpans) {

    /** A record's status. */
    public enum Status {
        PENDING, STAGING, COMMITTED, ABORTED;

        /** COMMITTED or ABORTED: the status never changes again. */
        public boolean finalized() {
            return this == COMMITTED || this == ABORTED;
        }
    }

    /** A write of a parallel commit still being replicated when the commit was staged. */
    public record InFlightWrite(byte[] key, int sequence) {
        public InFlightWrite {
            Objects.requireNonNull(key, "key");
        }
    }

    public TxnRecord {
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(anchorKey, "anchorKey");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
        inFlightWrites = List.copyOf(inFlightWrites);
        lockSpans = List.copyOf(lockSpans);
        if (status == Status.STAGING && inFlightWrites.isEmpty()) {
            throw new IllegalArgumentException("a STAGING record lists the writes in flight");
        }
        if (status != Status.STAGING && !inFlightWrites.isEmpty()) {
            throw new IllegalArgumentException("only a STAGING record has writes in flight, not " + status);
        }
    }

    TxnRecord with(Status s, List<InFlightWrite> inFlight) {
        return new TxnRecord(meta, anchorKey, s, lastHeartbeat, inFlight, lockSpans);
    }

    TxnRecord withMeta(TxnMeta m) {
        return new TxnRecord(m, anchorKey, status, lastHeartbeat, inFlightWrites, lockSpans);
    }

    TxnRecord withHeartbeat(Timestamp t) {
        return new TxnRecord(meta, anchorKey, status, t, inFlightWrites, lockSpans);
    }
}
