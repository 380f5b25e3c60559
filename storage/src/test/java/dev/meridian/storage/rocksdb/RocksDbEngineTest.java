package dev.meridian.storage.rocksdb;

import dev.meridian.storage.Engine;
import dev.meridian.storage.EngineContractTest;
import dev.meridian.storage.EngineLimits;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The RocksDB engine against the engine contract. */
class RocksDbEngineTest extends EngineContractTest {
    /** Small buffers: tests open many engines on a small machine. */
    static final RocksDbConfig TEST_CONFIG = RocksDbConfig.DEFAULT
            .withBlockCacheBytes(8L << 20)
            .withWriteBufferBytes(4L << 20);

    @TempDir
    Path tempDir;
    private int engines;

    @Override
    protected Engine newEngine(EngineLimits limits) {
        return RocksDbEngine.open(tempDir.resolve("store-" + engines++), TEST_CONFIG.withLimits(limits),
                OpenTelemetry.noop());
    }

    @Override
    protected void flush(Engine engine) {
        ((RocksDbEngine) engine).flush();
    }
}
