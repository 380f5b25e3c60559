package dev.meridian.cluster.raft.driver;

import dev.meridian.storage.rocksdb.RocksDbEngine;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The same behaviour with fsyncs that cost something and a restart that really reopens files. */
class RocksDbEngineMultiRaftDriverTest extends MultiRaftDriverTest {

    @TempDir
    Path dir;

    @Override
    TestCluster newCluster(DriverConfig config) {
        return new TestCluster(config, n -> RocksDbEngine.open(dir.resolve("n" + n)), true);
    }

    @Override
    int manyGroups() {
        return 300;
    }
}
