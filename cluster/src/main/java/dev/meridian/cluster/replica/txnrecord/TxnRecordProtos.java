package dev.meridian.cluster.replica.txnrecord;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meridian.cluster.kv.TxnProtos;
import dev.meridian.cluster.time.Timestamps;
import dev.meridian.proto.kv.InFlightWrite;
import dev.meridian.proto.kv.TransactionRecord;
import dev.meridian.proto.kv.TransactionStatus;
import dev.meridian.storage.CorruptionException;
import dev.meridian.storage.mvcc.Span;

import java.util.ArrayList;
import java.util.List;

/** A {@link TxnRecord} as stored and sent ({@link TransactionRecord}). */
public final class TxnRecordProtos {

    private TxnRecordProtos() {
    }

    public static TransactionRecord toProto(TxnRecord r) {
        TransactionRecord.Builder b = TransactionRecord.newBuilder()
                .setMeta(TxnProtos.toProto(r.meta().withAnchorKey(r.anchorKey())))
                .setStatus(toProto(r.status()))
                .setLastHeartbeat(Timestamps.toProto(r.lastHeartbeat()));
        for (TxnRecord.InFlightWrite w : r.inFlightWrites()) {
            b.addInFlightWrites(InFlightWrite.newBuilder().setKey(ByteString.copyFrom(w.key())).setSequence(w.sequence()));
        }
        for (Span s : r.lockSpans()) {
            b.addLockSpans(TxnProtos.toProto(s));
        }
        return b.build();
    }

    public static TxnRecord fromProto(TransactionRecord p) {
        List<TxnRecord.InFlightWrite> inFlight = new ArrayList<>();
        for (InFlightWrite w : p.getInFlightWritesList()) {
            inFlight.add(new TxnRecord.InFlightWrite(w.getKey().toByteArray(), w.getSequence()));
        }
        List<Span> spans = new ArrayList<>();
        for (dev.meridian.proto.kv.Span s : p.getLockSpansList()) {
            spans.add(TxnProtos.span(s));
        }
        return new TxnRecord(TxnProtos.toMvcc(p.getMeta()), p.getMeta().getAnchorKey().toByteArray(), fromProto(p.getStatus()),
                Timestamps.fromProto(p.getLastHeartbeat()), inFlight, spans);
    }

    /**
     * Decodes a stored record.
     *
     * @throws CorruptionException if the bytes are not a record
     */
    public static TxnRecord decode(byte[] key, byte[] value) {
        try {
            return fromProto(TransactionRecord.parseFrom(value));
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            throw new CorruptionException("undecodable transaction record (" + e.getMessage() + ")", key);
        }
    }

    public static TransactionStatus toProto(TxnRecord.Status s) {
        return switch (s) {
            case PENDING -> TransactionStatus.PENDING;
            case STAGING -> TransactionStatus.STAGING;
            case COMMITTED -> TransactionStatus.COMMITTED;
            case ABORTED -> TransactionStatus.ABORTED;
        };
    }

    /**
     * @throws IllegalArgumentException for an unspecified status
     */
    public static TxnRecord.Status fromProto(TransactionStatus s) {
        return switch (s) {
            case PENDING -> TxnRecord.Status.PENDING;
            case STAGING -> TxnRecord.Status.STAGING;
            case COMMITTED -> TxnRecord.Status.COMMITTED;
            case ABORTED -> TxnRecord.Status.ABORTED;
            default -> throw new IllegalArgumentException("no transaction status: " + s);
        };
    }
}
