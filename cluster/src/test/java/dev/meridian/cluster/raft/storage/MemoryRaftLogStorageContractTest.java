package dev.meridian.cluster.raft.storage;

import dev.meridian.raft.ConfState;
import dev.meridian.raft.Entry;
import dev.meridian.raft.HardState;
import dev.meridian.raft.MemoryRaftLogStorage;
import dev.meridian.raft.RaftLogStorage;
import dev.meridian.raft.Snapshot;

import java.util.List;

/** The reference model passes the contract too: the contract says what the model does. */
class MemoryRaftLogStorageContractTest extends RaftLogStorageContractTest {

    @Override
    RaftLogStorage create(ConfState cs) {
        return new MemoryRaftLogStorage(cs);
    }

    private static MemoryRaftLogStorage m(RaftLogStorage s) {
        return (MemoryRaftLogStorage) s;
    }

    @Override
    void append(RaftLogStorage s, List<Entry> entries) {
        m(s).append(entries);
    }

    @Override
    void setHardState(RaftLogStorage s, HardState hs) {
        m(s).setHardState(hs);
    }

    @Override
    Snapshot createSnapshot(RaftLogStorage s, long index, ConfState cs, byte[] data) {
        return m(s).createSnapshot(index, cs, data);
    }

    @Override
    void compact(RaftLogStorage s, long index) {
        m(s).compact(index);
    }

    @Override
    void applySnapshot(RaftLogStorage s, Snapshot snap) {
        m(s).applySnapshot(snap);
    }

    @Override
    RaftLogStorage reopen(RaftLogStorage s) {
        return s;
    }
}
