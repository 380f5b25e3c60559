package dev.meridian.storage.mvcc;

import dev.meridian.storage.rocksdb.RocksDbConfig;
import dev.meridian.storage.rocksdb.RocksDbEngine;
import dev.meridian.testkit.Scenarios;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The same MVCC histories on the RocksDB engine: nodes run RocksDB and the simulator runs the
 * in-memory engine, so every history must print the same on both.
 */
class MvccRocksDbScenarioTest {

    @TempDir
    Path root;

    @TestFactory
    Stream<DynamicTest> histories() {
        AtomicInteger stores = new AtomicInteger();
        return Scenarios.run(Path.of("src/test/resources/mvcc"), () -> new MvccScenarioHandler(limits ->
                RocksDbEngine.open(root.resolve("store-" + stores.incrementAndGet()),
                        RocksDbConfig.DEFAULT.withLimits(limits), OpenTelemetry.noop())));
    }
}
