package dev.meridian.storage.mvcc;

import dev.meridian.storage.memory.InMemoryEngine;
import dev.meridian.testkit.Scenarios;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;

/** The MVCC histories of src/test/resources/mvcc, on the in-memory engine. */
class MvccScenarioTest {

    @TestFactory
    Stream<DynamicTest> histories() {
        return Scenarios.run(Path.of("src/test/resources/mvcc"), () -> new MvccScenarioHandler(InMemoryEngine::new));
    }
}
