package dev.meridian.raft.sim;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Replays every seed that once failed (src/test/resources/sim/regression-seeds.txt); each must pass now. */
class RegressionSeedsTest {

    private static final Path LIST = Path.of("src/test/resources/sim/regression-seeds.txt");

    @TestFactory
    List<DynamicTest> everyRegressionSeedPasses() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String raw : Files.readAllLines(LIST)) {
            String line = raw.contains("#") ? raw.substring(0, raw.indexOf('#')).strip() : raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            assertThat(f).as("'seed nodes steps' in: " + raw).hasSize(3);
            SimOptions options = SimOptions.single(Long.parseLong(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    InjectedBug.NONE);
            tests.add(DynamicTest.dynamicTest(line, () -> {
                SimResult r = RaftSimulation.run(options, new PrintWriter(Writer.nullWriter()));
                assertThat(r.failures()).as(raw).isEmpty();
            }));
        }
        assertThat(tests).as("regression seeds listed").isNotEmpty();
        return tests;
    }
}
