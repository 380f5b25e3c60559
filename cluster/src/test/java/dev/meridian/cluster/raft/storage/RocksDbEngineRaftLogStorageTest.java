package dev.meridian.cluster.raft.storage;

import dev.meridian.storage.Engine;
import dev.meridian.storage.rocksdb.RocksDbEngine;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class RocksDbEngineRaftLogStorageTest extends EngineRaftLogStorageContractTest {

    @TempDir
    Path dir;

    @Override
    Engine openEngine() {
        return RocksDbEngine.open(dir);
    }

    @Override
    Engine restartEngine(Engine current) {
        current.close();
        return RocksDbEngine.open(dir);
    }
}
