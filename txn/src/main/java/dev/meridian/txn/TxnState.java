package dev.meridian.txn;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.kv.TxnProtos;
import dev.meridian.cluster.time.Timestamps;
import dev.meridian.proto.kv.SeqRange;
import dev.meridian.proto.kv.Transaction;
import dev.meridian.proto.kv.TransactionStatus;
import dev.meridian.storage.mvcc.Timestamp;


/**
 * The coordinator's view of one transaction, shared by its interceptors: the {@link Transaction}
 * sent with every batch (id, anchor, epoch, timestamps, observed clocks, rolled-back sequences)
 * and the sequence counter. Guarded by its own monitor: the application's thread and the
 * heartbeat thread both use it.
 */
final class TxnState {

    private Transaction txn;
    private int seq;
    /** Set when a heartbeat learned that the record was aborted. */
    private boolean abortedRemotely;

    TxnState(Transaction initial) {
        this.txn = initial;
    }

    synchronized Transaction txn() {
        return txn;
    }

    synchronized byte[] anchor() {
        return txn.getMeta().getAnchorKey().toByteArray();
    }

    synchronized boolean hasAnchor() {
        return !txn.getMeta().getAnchorKey().isEmpty();
    }

    synchronized void setAnchor(byte[] key) {
        txn = txn.toBuilder().setMeta(txn.getMeta().toBuilder().setAnchorKey(ByteString.copyFrom(key))).build();
    }

    synchronized Timestamp readTs() {
        return Timestamps.fromProto(txn.getReadTimestamp());
    }

    synchronized Timestamp writeTs() {
        return Timestamps.fromProto(txn.getMeta().getWriteTimestamp());
    }

    /** Moves the read timestamp (after a successful refresh); the write timestamp follows if below. */
    synchronized void readAt(Timestamp ts) {
        Transaction.Builder b = txn.toBuilder().setReadTimestamp(Timestamps.toProto(ts));
        if (writeTs().less(ts)) {
            b.getMetaBuilder().setWriteTimestamp(Timestamps.toProto(ts));
        }
        txn = b.build();
    }

    /** Moves the write timestamp up (never down). */
    synchronized void writeAtLeast(Timestamp ts) {
        if (writeTs().less(ts)) {
            txn = txn.toBuilder().setMeta(txn.getMeta().toBuilder().setWriteTimestamp(Timestamps.toProto(ts))).build();
        }
    }

    /** Takes in what a reply says of the transaction: a pushed write timestamp, observed clocks, its status. */
    synchronized void replied(Transaction t) {
        if (t == null || !t.hasMeta() || !t.getMeta().getId().equals(txn.getMeta().getId())
                || t.getMeta().getEpoch() != txn.getMeta().getEpoch()) {
            return;
        }
        Transaction merged = TxnProtos.merge(txn, t);
        // The reply's read timestamp is what the batch was sent with; ours may have moved since.
        txn = merged.toBuilder().setReadTimestamp(txn.getReadTimestamp()).setMeta(merged.getMeta().toBuilder()
                .setAnchorKey(txn.getMeta().getAnchorKey()).setSequence(txn.getMeta().getSequence())).build();
    }

    /** The next sequence number (for a write). */
    synchronized int nextSeq() {
        return ++seq;
    }

    /** The current sequence number (a read sees writes up to it). */
    synchronized int seq() {
        return seq;
    }

    /** Takes back the writes after {@code savepointSeq}: they stay invisible and are never committed. */
    synchronized void ignoreAfter(int savepointSeq) {
        if (seq > savepointSeq) {
            txn = txn.toBuilder().addIgnoredSeqnums(SeqRange.newBuilder().setStart(savepointSeq + 1).setEnd(seq)).build();
        }
    }

    synchronized void markAbortedRemotely() {
        abortedRemotely = true;
    }

    synchronized boolean abortedRemotely() {
        return abortedRemotely;
    }

    synchronized void setStatus(TransactionStatus s) {
        txn = txn.toBuilder().setStatus(s).build();
    }

    synchronized TransactionStatus status() {
        return txn.getStatus();
    }

    /**
     * A new epoch: everything read so far is forgotten (the interceptors clear their state), the
     * transaction reads and writes at {@code ts} or later; its earlier writes become an older
     * epoch's, never committed. Observed timestamps stay valid.
     */
    synchronized void restart(Timestamp ts) {
        Timestamp at = writeTs().forward(ts);
        // The uncertainty limit stays the one of the transaction's start: what was written before
        // it began is what may be uncertain, whatever the epoch.
        Transaction.Builder b = txn.toBuilder().setReadTimestamp(Timestamps.toProto(at)).clearIgnoredSeqnums();
        b.getMetaBuilder().setEpoch(txn.getMeta().getEpoch() + 1).setWriteTimestamp(Timestamps.toProto(at));
        txn = b.build();
    }
}
