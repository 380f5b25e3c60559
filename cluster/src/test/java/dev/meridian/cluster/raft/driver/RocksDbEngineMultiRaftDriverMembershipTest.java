package dev.meridian.cluster.raft.driver;

import dev.meridian.storage.rocksdb.RocksDbEngine;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The same with a durable engine, whose synced writes (creation, removal) really reach files. */
class RocksDbEngineMultiRaftDriverMembershipTest extends MultiRaftDriverMembershipTest {

    @TempDir
    Path dir;

    @Override
    TestCluster newCluster(DriverConfig config) {
        return new TestCluster(config, n -> RocksDbEngine.open(dir.resolve("n" + n)), true);
    }
}
