package dev.meridian.raft.sim;

import dev.meridian.raft.ConfState;
import dev.meridian.raft.Entry;
import dev.meridian.raft.HardState;
import dev.meridian.raft.InitialState;
import dev.meridian.raft.RaftLogStorage;
import dev.meridian.raft.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A simulated disk holding one node's Raft log. Writes land at once in what the node reads (the
 * page cache) and are journaled; {@link #sync()} makes the journal durable. {@link #crash()}
 * throws the journal away: whatever was written but not synced is lost, as on a real machine
 * that loses power between write and fsync.
 *
 * <p>Compaction is durable at once: a real node writes and syncs the snapshot before it
 * truncates its log, and the simulator compacts only while no write is pending.
 */
final class SimDisk implements RaftLogStorage {

    private final LogImage durable;
    private final LogImage current;
    private final List<Consumer<LogImage>> unsynced = new ArrayList<>();

    SimDisk(ConfState initial) {
        this.durable = new LogImage(initial);
        this.current = new LogImage(initial);
    }

    /** What the node sees, synced or not. */
    LogImage current() {
        return current;
    }

    /** What survives a crash. */
    LogImage durable() {
        return durable;
    }

    boolean hasUnsyncedWrites() {
        return !unsynced.isEmpty();
    }

    void setHardState(HardState hs) {
        write(img -> img.hardState = hs);
    }

    void append(List<Entry> entries) {
        if (!entries.isEmpty()) {
            write(img -> img.append(entries));
        }
    }

    void installSnapshot(Snapshot snap) {
        write(img -> img.installSnapshot(snap));
    }

    private void write(Consumer<LogImage> op) {
        op.accept(current);
        unsynced.add(op);
    }

    /** The fsync completed: everything written so far survives crashes. */
    void sync() {
        for (Consumer<LogImage> op : unsynced) {
            op.accept(durable);
        }
        unsynced.clear();
    }

    /** Power loss: the node's view falls back to what was synced. */
    void crash() {
        unsynced.clear();
        current.copyFrom(durable);
    }

    /** Replaces the entries up to {@code snap.index()} by the snapshot; requires no unsynced writes. */
    void compactDurably(Snapshot snap) {
        if (hasUnsyncedWrites()) {
            throw new IllegalStateException("compaction while writes are unsynced");
        }
        current.compact(snap);
        durable.compact(snap);
    }

    @Override
    public InitialState initialState() {
        return new InitialState(current.hardState, current.snapshot.metadata().confState());
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        if (lo < current.firstIndex() || hi > current.lastIndex() + 1 || lo > hi) {
            throw new IllegalArgumentException("entries [" + lo + "," + hi + ") outside [" + current.firstIndex() + ","
                    + (current.lastIndex() + 1) + ")");
        }
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        for (long i = lo; i < hi; i++) {
            Entry e = current.entry(i);
            bytes += e.size();
            if (!out.isEmpty() && bytes > maxBytes) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public long term(long index) {
        long t = current.termAt(index);
        if (t < 0) {
            throw new IllegalArgumentException("term(" + index + ") outside [" + current.snapshotIndex() + ","
                    + current.lastIndex() + "]");
        }
        return t;
    }

    @Override
    public long firstIndex() {
        return current.firstIndex();
    }

    @Override
    public long lastIndex() {
        return current.lastIndex();
    }

    @Override
    public Snapshot snapshot() {
        return current.snapshot;
    }
}
