package dev.meridian.storage.mvcc;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The payload of a lock record (inside the checksummed envelope of {@link MvccValueCodec}):
 *
 * <pre>
 *   txnId(16) epoch(4) writeTs(12) minTs(12) seq(4) priority(4) isolation(1) anchorLen(4) anchor count(4)
 *   entry* := seq(4) tombstone(1) len(4) value(len)
 * </pre>
 */
final class LockRecordCodec {
    private static final int FIXED = 16 + 4 + 12 + 12 + 4 + 4 + 1 + 4 + 4;

    private LockRecordCodec() {
    }

    static byte[] encode(LockRecord lock) {
        int size = FIXED + lock.txn().anchorKey().length;
        for (IntentHistoryEntry e : lock.history()) {
            size += 9 + (e.value() == null ? 0 : e.value().length);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        TxnMeta t = lock.txn();
        out.putLong(t.id().getMostSignificantBits()).putLong(t.id().getLeastSignificantBits());
        out.putInt(t.epoch());
        putTimestamp(out, t.writeTimestamp());
        putTimestamp(out, t.minTimestamp());
        out.putInt(t.sequence()).putInt(t.priority()).put((byte) t.isolation().ordinal());
        out.putInt(t.anchorKey().length).put(t.anchorKey());
        out.putInt(lock.history().size());
        for (IntentHistoryEntry e : lock.history()) {
            out.putInt(e.sequence());
            out.put((byte) (e.value() == null ? 1 : 0));
            byte[] v = e.value() == null ? new byte[0] : e.value();
            out.putInt(v.length).put(v);
        }
        return out.array();
    }

    static LockRecord decode(byte[] engineKey, byte[] payload) {
        try {
            ByteBuffer in = ByteBuffer.wrap(payload);
            UUID id = new UUID(in.getLong(), in.getLong());
            int epoch = in.getInt();
            Timestamp writeTs = getTimestamp(in);
            Timestamp minTs = getTimestamp(in);
            int seq = in.getInt();
            int priority = in.getInt();
            int iso = in.get();
            IsolationLevel[] levels = IsolationLevel.values();
            if (iso < 0 || iso >= levels.length) {
                throw new IllegalArgumentException("bad isolation " + iso);
            }
            int anchorLen = in.getInt();
            if (anchorLen < 0 || anchorLen > in.remaining()) {
                throw new IllegalArgumentException("bad anchor length " + anchorLen);
            }
            byte[] anchor = new byte[anchorLen];
            in.get(anchor);
            TxnMeta txn = new TxnMeta(id, epoch, writeTs, minTs, seq, priority, levels[iso], anchor);
            int count = in.getInt();
            if (count <= 0 || count > in.remaining() / 9) {
                throw new IllegalArgumentException("bad history length " + count);
            }
            List<IntentHistoryEntry> history = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                history.add(getEntry(in));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes");
            }
            return new LockRecord(txn, history);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw MvccValueCodec.corrupt("undecodable lock record (" + e.getMessage() + ")", engineKey);
        }
    }

    private static IntentHistoryEntry getEntry(ByteBuffer in) {
        int seq = in.getInt();
        boolean tombstone = in.get() != 0;
        int len = in.getInt();
        if (len < 0 || len > in.remaining() || (tombstone && len != 0)) {
            throw new IllegalArgumentException("bad history entry length " + len);
        }
        byte[] v = new byte[len];
        in.get(v);
        return new IntentHistoryEntry(seq, tombstone ? null : v);
    }

    private static void putTimestamp(ByteBuffer out, Timestamp ts) {
        out.putLong(ts.wallNanos()).putInt(ts.logical());
    }

    private static Timestamp getTimestamp(ByteBuffer in) {
        return new Timestamp(in.getLong(), in.getInt());
    }

}
