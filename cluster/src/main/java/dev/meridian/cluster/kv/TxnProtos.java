package dev.meridian.cluster.kv;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.time.Timestamps;
import dev.meridian.proto.kv.ObservedTimestamp;
import dev.meridian.proto.kv.Transaction;
import dev.meridian.storage.mvcc.IsolationLevel;
import dev.meridian.storage.mvcc.SeqRange;
import dev.meridian.storage.mvcc.Span;
import dev.meridian.storage.mvcc.Timestamp;
import dev.meridian.storage.mvcc.TxnMeta;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Conversions between the wire form of transactions (kv.proto) and the MVCC layer's, and the
 * merge of the transaction that several ranges return for one batch.
 */
public final class TxnProtos {

    private TxnProtos() {
    }

    public static ByteString bytes(UUID id) {
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits()).array());
    }

    /**
     * @throws IllegalArgumentException if {@code b} is not 16 bytes
     */
    public static UUID uuid(ByteString b) {
        if (b.size() != 16) {
            throw new IllegalArgumentException("a transaction id has 16 bytes, not " + b.size());
        }
        ByteBuffer in = b.asReadOnlyByteBuffer();
        return new UUID(in.getLong(), in.getLong());
    }

    /**
     * The MVCC form of a transaction's metadata.
     *
     * @throws IllegalArgumentException if it is malformed (id, timestamps, negative numbers)
     */
    public static TxnMeta toMvcc(dev.meridian.proto.kv.TxnMeta p) {
        if (!p.hasWriteTimestamp()) {
            throw new IllegalArgumentException("transaction without a write timestamp");
        }
        Timestamp write = Timestamps.fromProto(p.getWriteTimestamp());
        Timestamp min = p.hasMinTimestamp() ? Timestamps.fromProto(p.getMinTimestamp()) : write;
        IsolationLevel iso = p.getIsolation() == dev.meridian.proto.kv.IsolationLevel.READ_COMMITTED
                ? IsolationLevel.READ_COMMITTED : IsolationLevel.SERIALIZABLE;
        return new TxnMeta(uuid(p.getId()), p.getEpoch(), write, min, p.getSequence(), p.getPriority(), iso,
                p.getAnchorKey().toByteArray());
    }

    public static dev.meridian.proto.kv.TxnMeta toProto(TxnMeta m) {
        return dev.meridian.proto.kv.TxnMeta.newBuilder()
                .setId(bytes(m.id()))
                .setAnchorKey(ByteString.copyFrom(m.anchorKey()))
                .setEpoch(m.epoch())
                .setWriteTimestamp(Timestamps.toProto(m.writeTimestamp()))
                .setMinTimestamp(Timestamps.toProto(m.minTimestamp()))
                .setPriority(m.priority())
                .setSequence(m.sequence())
                .setIsolation(m.isolation() == IsolationLevel.READ_COMMITTED
                        ? dev.meridian.proto.kv.IsolationLevel.READ_COMMITTED : dev.meridian.proto.kv.IsolationLevel.SERIALIZABLE)
                .build();
    }

    public static List<SeqRange> ignored(List<dev.meridian.proto.kv.SeqRange> p) {
        List<SeqRange> out = new ArrayList<>(p.size());
        for (dev.meridian.proto.kv.SeqRange r : p) {
            out.add(new SeqRange(r.getStart(), r.getEnd()));
        }
        return out;
    }

    public static Span span(dev.meridian.proto.kv.Span p) {
        return new Span(p.getStartKey().toByteArray(), p.getEndKey().toByteArray());
    }

    public static dev.meridian.proto.kv.Span toProto(Span s) {
        return dev.meridian.proto.kv.Span.newBuilder().setStartKey(ByteString.copyFrom(s.start()))
                .setEndKey(ByteString.copyFrom(s.end() == null ? new byte[0] : s.end())).build();
    }

    /** The observed timestamp for {@code nodeId}, if the transaction has one. */
    public static java.util.Optional<Timestamp> observed(Transaction txn, long nodeId) {
        for (ObservedTimestamp o : txn.getObservedTimestampsList()) {
            if (o.getNodeId() == nodeId) {
                return java.util.Optional.of(Timestamps.fromProto(o.getTimestamp()));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * What two replies say of one transaction together: the later write timestamp, the later
     * read timestamp, the union of observed timestamps (the lower reading per node, which is the
     * one that narrows uncertainty less and is therefore safe either way), and the later status.
     * Replies of different transactions or epochs are not merged ({@code a} wins).
     */
    public static Transaction merge(Transaction a, Transaction b) {
        if (a == null || !a.hasMeta()) {
            return b;
        }
        if (b == null || !b.hasMeta() || !a.getMeta().getId().equals(b.getMeta().getId())
                || a.getMeta().getEpoch() != b.getMeta().getEpoch()) {
            return a;
        }
        Transaction.Builder out = a.toBuilder();
        Timestamp aw = Timestamps.fromProto(a.getMeta().getWriteTimestamp());
        Timestamp bw = Timestamps.fromProto(b.getMeta().getWriteTimestamp());
        if (aw.less(bw)) {
            out.getMetaBuilder().setWriteTimestamp(b.getMeta().getWriteTimestamp());
        }
        if (Timestamps.fromProto(a.getReadTimestamp()).less(Timestamps.fromProto(b.getReadTimestamp()))) {
            out.setReadTimestamp(b.getReadTimestamp());
        }
        if (b.getStatus().getNumber() > a.getStatus().getNumber()) {
            out.setStatus(b.getStatus());
        }
        for (ObservedTimestamp o : b.getObservedTimestampsList()) {
            java.util.Optional<Timestamp> have = observed(a, o.getNodeId());
            if (have.isEmpty()) {
                out.addObservedTimestamps(o);
            }
        }
        return out.build();
    }
}
