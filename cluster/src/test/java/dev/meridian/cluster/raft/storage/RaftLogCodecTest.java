package dev.meridian.cluster.raft.storage;

import dev.meridian.raft.ConfState;
import dev.meridian.raft.Entry;
import dev.meridian.raft.EntryType;
import dev.meridian.raft.HardState;
import dev.meridian.raft.Snapshot;
import dev.meridian.raft.SnapshotMetadata;
import dev.meridian.storage.CorruptionException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RaftLogCodecTest {

    @Test
    void recordsRoundTrip() {
        Entry e = new Entry(3, 17, EntryType.CONF_CHANGE, new byte[] {1, 2, 3});
        assertThat(RaftLogCodec.decodeEntry(17, RaftLogCodec.encodeEntry(e))).isEqualTo(e);
        assertThat(RaftLogCodec.decodeTerm(17, RaftLogCodec.encodeEntry(e))).isEqualTo(3);
        HardState hs = new HardState(4, 2, 9);
        assertThat(RaftLogCodec.decodeHardState(RaftLogCodec.encodeHardState(hs))).isEqualTo(hs);
        ConfState joint = new ConfState(List.of(1L, 2L), List.of(4L), List.of(1L, 3L), List.of(3L), true);
        Snapshot s = new Snapshot(new SnapshotMetadata(12, 3, joint), new byte[] {9});
        assertThat(RaftLogCodec.decodeSnapshot(RaftLogCodec.encodeSnapshot(s))).isEqualTo(s);
    }

    @Test
    void damagedRecordsAreCorruptionNotData() {
        byte[] entry = RaftLogCodec.encodeEntry(Entry.normal(3, 1, new byte[] {1}));
        entry[8] = 7;
        assertThatThrownBy(() -> RaftLogCodec.decodeEntry(1, entry)).isInstanceOf(CorruptionException.class);
        assertThatThrownBy(() -> RaftLogCodec.decodeEntry(1, new byte[5])).isInstanceOf(CorruptionException.class);
        assertThatThrownBy(() -> RaftLogCodec.decodeTerm(1, new byte[8])).isInstanceOf(CorruptionException.class);
        assertThatThrownBy(() -> RaftLogCodec.decodeHardState(new byte[23])).isInstanceOf(CorruptionException.class);
        assertThatThrownBy(() -> RaftLogCodec.decodeTruncated(new byte[17])).isInstanceOf(CorruptionException.class);
        byte[] snap = RaftLogCodec.encodeSnapshot(new Snapshot(new SnapshotMetadata(1, 1, ConfState.EMPTY), new byte[4]));
        assertThatThrownBy(() -> RaftLogCodec.decodeSnapshot(Arrays.copyOf(snap, snap.length - 1)))
                .isInstanceOf(CorruptionException.class);
        assertThatThrownBy(() -> RaftLogCodec.decodeSnapshot(Arrays.copyOf(snap, snap.length + 1)))
                .isInstanceOf(CorruptionException.class);
    }
}
