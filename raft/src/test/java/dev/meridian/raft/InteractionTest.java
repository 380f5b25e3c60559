package dev.meridian.raft;

import dev.meridian.testkit.Scenarios;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;

/** Runs every scenario file under src/test/resources/interaction (STYLE.md, "Scenario tests"). */
class InteractionTest {

    @TestFactory
    Stream<DynamicTest> interactions() {
        return Scenarios.run(Path.of("src/test/resources/interaction"), InteractionHarness::new);
    }
}
