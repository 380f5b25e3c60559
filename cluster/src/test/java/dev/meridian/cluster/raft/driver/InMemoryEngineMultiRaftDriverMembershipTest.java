package dev.meridian.cluster.raft.driver;

import dev.meridian.storage.memory.InMemoryEngine;

class InMemoryEngineMultiRaftDriverMembershipTest extends MultiRaftDriverMembershipTest {

    @Override
    TestCluster newCluster(DriverConfig config) {
        return new TestCluster(config, n -> new InMemoryEngine(), false);
    }
}
