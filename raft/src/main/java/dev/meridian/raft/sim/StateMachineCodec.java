package dev.meridian.raft.sim;

import dev.meridian.raft.Entry;
import dev.meridian.raft.EntryType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated state machine is the sequence of every entry applied, from index 1; its
 * snapshot is that sequence encoded. Keeping whole entries (not just payloads) lets the
 * checkers compare a compacted prefix entry by entry.
 */
final class StateMachineCodec {

    private StateMachineCodec() {
    }

    static byte[] encode(List<Entry> applied, int count) {
        int size = 4;
        for (int i = 0; i < count; i++) {
            size += 8 + 8 + 1 + 4 + applied.get(i).data().length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(count);
        for (int i = 0; i < count; i++) {
            Entry e = applied.get(i);
            b.putLong(e.index()).putLong(e.term()).put((byte) e.type().ordinal()).putInt(e.data().length).put(e.data());
        }
        return b.array();
    }

    static List<Entry> decode(byte[] data) {
        List<Entry> out = new ArrayList<>();
        if (data.length == 0) {
            return out;
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        int count = b.getInt();
        for (int i = 0; i < count; i++) {
            long index = b.getLong();
            long term = b.getLong();
            EntryType type = EntryType.values()[b.get()];
            byte[] payload = new byte[b.getInt()];
            b.get(payload);
            out.add(new Entry(term, index, type, payload));
        }
        return out;
    }
}
