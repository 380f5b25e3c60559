package dev.meridian.cluster.raft.storage;

import dev.meridian.raft.ConfState;
import dev.meridian.raft.Entry;
import dev.meridian.raft.EntryType;
import dev.meridian.raft.HardState;
import dev.meridian.raft.Snapshot;
import dev.meridian.raft.SnapshotMetadata;
import dev.meridian.storage.CorruptionException;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Value encodings of the Raft log records. Fixed-width big-endian fields; a value that does not
 * decode is corruption, never a default.
 */
final class RaftLogCodec {

    private RaftLogCodec() {
    }

    static byte[] encodeEntry(Entry e) {
        return ByteBuffer.allocate(9 + e.data().length).putLong(e.term())
                .put((byte) e.type().ordinal()).put(e.data()).array();
    }

    static Entry decodeEntry(long index, byte[] value) {
        try {
            ByteBuffer b = ByteBuffer.wrap(value);
            long term = b.getLong();
            int type = b.get();
            if (type < 0 || type >= EntryType.values().length) {
                throw new CorruptionException("raft entry " + index + " has unknown type " + type, null);
            }
            byte[] data = new byte[b.remaining()];
            b.get(data);
            return new Entry(term, index, EntryType.values()[type], data);
        } catch (BufferUnderflowException ex) {
            throw new CorruptionException("raft entry " + index + " is truncated", null);
        }
    }

    /** The term alone, without copying the payload. */
    static long decodeTerm(long index, byte[] value) {
        if (value.length < 9) {
            throw new CorruptionException("raft entry " + index + " is truncated", null);
        }
        return ByteBuffer.wrap(value).getLong();
    }

    static byte[] encodeHardState(HardState hs) {
        return ByteBuffer.allocate(24).putLong(hs.term()).putLong(hs.vote()).putLong(hs.commit()).array();
    }

    static HardState decodeHardState(byte[] value) {
        if (value.length != 24) {
            throw new CorruptionException("raft hard state has " + value.length + " bytes, expected 24", null);
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        return new HardState(b.getLong(), b.getLong(), b.getLong());
    }

    /** The truncated state: the index and term of the last entry no longer held. */
    static byte[] encodeTruncated(long index, long term) {
        return ByteBuffer.allocate(16).putLong(index).putLong(term).array();
    }

    static long[] decodeTruncated(byte[] value) {
        if (value.length != 16) {
            throw new CorruptionException("raft truncated state has " + value.length + " bytes, expected 16", null);
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        return new long[] {b.getLong(), b.getLong()};
    }

    static byte[] encodeSnapshot(Snapshot s) {
        ConfState cs = s.metadata().confState();
        int ids = cs.voters().size() + cs.learners().size() + cs.votersOutgoing().size() + cs.learnersNext().size();
        ByteBuffer b = ByteBuffer.allocate(16 + 1 + 16 + ids * 8 + 4 + s.data().length);
        b.putLong(s.index()).putLong(s.term()).put((byte) (cs.autoLeave() ? 1 : 0));
        for (List<Long> list : List.of(cs.voters(), cs.learners(), cs.votersOutgoing(), cs.learnersNext())) {
            b.putInt(list.size());
            list.forEach(b::putLong);
        }
        b.putInt(s.data().length).put(s.data());
        return b.array();
    }

    static Snapshot decodeSnapshot(byte[] value) {
        try {
            ByteBuffer b = ByteBuffer.wrap(value);
            long index = b.getLong();
            long term = b.getLong();
            boolean autoLeave = b.get() == 1;
            List<List<Long>> lists = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = b.getInt();
                List<Long> ids = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    ids.add(b.getLong());
                }
                lists.add(ids);
            }
            byte[] data = new byte[b.getInt()];
            b.get(data);
            if (b.hasRemaining()) {
                throw new CorruptionException("raft snapshot record has " + b.remaining() + " trailing bytes", null);
            }
            ConfState cs = new ConfState(lists.get(0), lists.get(1), lists.get(2), lists.get(3), autoLeave);
            return new Snapshot(new SnapshotMetadata(index, term, cs), data);
        } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException ex) {
            throw new CorruptionException("raft snapshot record does not decode: " + ex, null);
        }
    }
}
