package dev.meridian.cluster.raft.storage;

import dev.meridian.raft.ConfState;
import dev.meridian.raft.Entry;
import dev.meridian.raft.HardState;
import dev.meridian.raft.RaftLogStorage;
import dev.meridian.raft.Snapshot;
import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.WriteBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine-backed log against the contract. Each mutation is written in its own synced batch;
 * {@link #reopen} reads everything back from the engine (after reopening it, where the engine
 * can be reopened). A neighbouring group's log is kept alongside to show groups never touch each
 * other's keys.
 */
abstract class EngineRaftLogStorageContractTest extends RaftLogStorageContractTest {

    private static final long GROUP = 7;
    private static final long NEIGHBOUR_BELOW = 6;
    private static final long NEIGHBOUR_ABOVE = 8;

    Engine engine;

    /** The engine to use; may be called again by {@link #restartEngine}. */
    abstract Engine openEngine();

    /** Closes and reopens the engine where it is durable; the in-memory engine is kept. */
    abstract Engine restartEngine(Engine current);

    @AfterEach
    void closeEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    private void write(Consumer<WriteBatch> body) {
        try (WriteBatch b = engine.newWriteBatch()) {
            body.accept(b);
            engine.write(b, Durability.SYNCED);
        }
    }

    private static EngineRaftLogStorage s(RaftLogStorage s) {
        return (EngineRaftLogStorage) s;
    }

    @Override
    RaftLogStorage create(ConfState cs) {
        if (engine == null) {
            engine = openEngine();
        }
        for (long neighbour : List.of(NEIGHBOUR_BELOW, NEIGHBOUR_ABOVE)) {
            write(b -> EngineRaftLogStorage.create(engine, neighbour, cs, b)
                    .append(List.of(e(9, 1), e(9, 2), e(9, 3), e(9, 4), e(9, 5)), b));
        }
        EngineRaftLogStorage[] out = new EngineRaftLogStorage[1];
        write(b -> out[0] = EngineRaftLogStorage.create(engine, GROUP, cs, b));
        return out[0];
    }

    @Override
    void append(RaftLogStorage s, List<Entry> entries) {
        write(b -> s(s).append(entries, b));
    }

    @Override
    void setHardState(RaftLogStorage s, HardState hs) {
        write(b -> s(s).setHardState(hs, b));
    }

    @Override
    Snapshot createSnapshot(RaftLogStorage s, long index, ConfState cs, byte[] data) {
        Snapshot[] out = new Snapshot[1];
        write(b -> out[0] = s(s).createSnapshot(index, cs, data, b));
        return out[0];
    }

    @Override
    void compact(RaftLogStorage s, long index) {
        write(b -> s(s).compact(index, b));
    }

    @Override
    void applySnapshot(RaftLogStorage s, Snapshot snap) {
        write(b -> s(s).applySnapshot(snap, b));
    }

    @Override
    RaftLogStorage reopen(RaftLogStorage s) {
        engine = restartEngine(engine);
        for (long neighbour : List.of(NEIGHBOUR_BELOW, NEIGHBOUR_ABOVE)) {
            EngineRaftLogStorage n = EngineRaftLogStorage.open(engine, neighbour);
            assertThat(n.firstIndex()).isEqualTo(1);
            assertThat(n.entries(1, 6, Long.MAX_VALUE)).containsExactly(e(9, 1), e(9, 2), e(9, 3), e(9, 4), e(9, 5));
        }
        return EngineRaftLogStorage.open(engine, s(s).groupId());
    }

    @Test
    void creatingAGroupTwiceIsRefused() {
        create(VOTERS);
        try (WriteBatch b = engine.newWriteBatch()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineRaftLogStorage.create(engine, GROUP, VOTERS, b))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(EngineRaftLogStorage.exists(engine, 99)).isFalse();
    }

    @Test
    void destroyRemovesOnlyThisGroup() {
        RaftLogStorage s = create(VOTERS);
        append(s, List.of(e(1, 1)));
        write(b -> s(s).destroy(b));
        assertThat(EngineRaftLogStorage.exists(engine, GROUP)).isFalse();
        reopen(s(EngineRaftLogStorage.open(engine, NEIGHBOUR_BELOW)));
    }

    @Test
    void aGroupCreatedAtAnInitialSnapshotStartsItsLogAfterIt() {
        create(VOTERS);
        Snapshot initial = new Snapshot(new dev.meridian.raft.SnapshotMetadata(10, 5, VOTERS), new byte[] {1, 2, 3});
        write(b -> EngineRaftLogStorage.create(engine, 42, initial, b));
        EngineRaftLogStorage s = EngineRaftLogStorage.open(restartAndGet(), 42);
        assertThat(s.snapshot()).isEqualTo(initial);
        assertThat(s.firstIndex()).isEqualTo(11);
        assertThat(s.lastIndex()).isEqualTo(10);
        assertThat(s.term(10)).isEqualTo(5);
        // The term and commit start at the snapshot: a later election is in a higher term.
        assertThat(s.hardState()).isEqualTo(new HardState(5, 0, 10));
        assertThat(s.initialState().confState()).isEqualTo(VOTERS);
        append(s, List.of(e(6, 11)));
        assertThat(s.entries(11, 12, Long.MAX_VALUE)).containsExactly(e(6, 11));
    }

    @Test
    void anInitialSnapshotNeedsIndexAndTermTogether() {
        create(VOTERS);
        try (WriteBatch b = engine.newWriteBatch()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineRaftLogStorage.create(engine, 42,
                            new Snapshot(new dev.meridian.raft.SnapshotMetadata(10, 0, VOTERS), new byte[0]), b))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(b.isEmpty()).isTrue();
        }
        assertThat(EngineRaftLogStorage.exists(engine, 42)).isFalse();
    }

    private Engine restartAndGet() {
        engine = restartEngine(engine);
        return engine;
    }
}
