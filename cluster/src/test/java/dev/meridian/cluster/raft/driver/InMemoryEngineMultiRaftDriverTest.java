package dev.meridian.cluster.raft.driver;

import dev.meridian.storage.memory.InMemoryEngine;

class InMemoryEngineMultiRaftDriverTest extends MultiRaftDriverTest {

    @Override
    TestCluster newCluster(DriverConfig config) {
        return new TestCluster(config, n -> new InMemoryEngine(), false);
    }

    @Override
    int manyGroups() {
        return 1000;
    }
}
