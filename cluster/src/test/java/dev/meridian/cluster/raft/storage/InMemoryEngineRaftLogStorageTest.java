package dev.meridian.cluster.raft.storage;

import dev.meridian.storage.Engine;
import dev.meridian.storage.memory.InMemoryEngine;

class InMemoryEngineRaftLogStorageTest extends EngineRaftLogStorageContractTest {

    @Override
    Engine openEngine() {
        return new InMemoryEngine();
    }

    @Override
    Engine restartEngine(Engine current) {
        return current;
    }
}
