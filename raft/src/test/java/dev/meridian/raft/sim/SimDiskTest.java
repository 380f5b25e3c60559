package dev.meridian.raft.sim;

import dev.meridian.raft.ConfState;
import dev.meridian.raft.Entry;
import dev.meridian.raft.HardState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The simulated disk loses exactly what was written after the last sync. */
class SimDiskTest {

    private static Entry e(long term, long index) {
        return Entry.normal(term, index, new byte[] {(byte) index});
    }

    @Test
    void aCrashLosesUnsyncedWritesOnly() {
        SimDisk disk = new SimDisk(ConfState.of(List.of(1L), List.of()));
        disk.append(List.of(e(1, 1), e(1, 2)));
        disk.setHardState(new HardState(1, 1, 2));
        disk.sync();
        disk.append(List.of(e(2, 2), e(2, 3)));
        disk.setHardState(new HardState(2, 1, 2));
        assertThat(disk.lastIndex()).isEqualTo(3);
        assertThat(disk.term(2)).as("the node reads its unsynced writes").isEqualTo(2);

        disk.crash();

        assertThat(disk.lastIndex()).isEqualTo(2);
        assertThat(disk.term(2)).isEqualTo(1);
        assertThat(disk.initialState().hardState()).isEqualTo(new HardState(1, 1, 2));
        assertThat(disk.hasUnsyncedWrites()).isFalse();
    }

    @Test
    void entriesStopAtTheByteBudgetButReturnAtLeastOne() {
        SimDisk disk = new SimDisk(ConfState.of(List.of(1L), List.of()));
        disk.append(List.of(e(1, 1), e(1, 2), e(1, 3)));
        assertThat(disk.entries(1, 4, 1)).hasSize(1);
        assertThat(disk.entries(1, 4, 2)).hasSize(2);
        assertThat(disk.entries(1, 4, Long.MAX_VALUE)).hasSize(3);
    }
}
