package dev.meridian.testkit;

import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Turns every file of a scenario directory into a JUnit dynamic test (STYLE.md, "Scenario
 * tests"). Use from a {@code @TestFactory}:
 *
 * <pre>
 * &#64;TestFactory
 * Stream&lt;DynamicTest&gt; histories() {
 *     return Scenarios.run(Path.of("src/test/resources/mvcc"), MvccScenarioHandler::new);
 * }
 * </pre>
 *
 * With {@code -Drewrite=true} the expected output of every block is replaced by the actual one
 * and the file is written back; review the diff before committing it.
 */
public final class Scenarios {

    private Scenarios() {
    }

    /** Whether this run rewrites expected output instead of checking it. */
    public static boolean rewriting() {
        return Boolean.parseBoolean(System.getProperty("rewrite", "false"));
    }

    public static Stream<DynamicTest> run(Path dir, Supplier<? extends ScenarioHandler> handlers) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list scenario directory " + dir.toAbsolutePath(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no scenario files (*.txt) in " + dir.toAbsolutePath());
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(),
                () -> runFile(f, handlers.get())));
    }

    /** Runs one file; fails on the first block whose output differs, naming file and line. */
    public static void runFile(Path file, ScenarioHandler handler) throws Exception {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String name = file.getFileName().toString();
        List<ScenarioFile.Block> blocks = ScenarioFile.parse(name, text);
        List<String> outputs = new ArrayList<>();
        boolean rewrite = rewriting();
        try (handler) {
            for (ScenarioFile.Block block : blocks) {
                String actual = ScenarioFile.normalize(handler.run(block.directive()));
                outputs.add(actual);
                if (!rewrite && !actual.equals(block.expected())) {
                    Directive d = block.directive();
                    throw new AssertionFailedError(name + ":" + d.line() + ": output of '" + d.command()
                            + "' differs (run with -Drewrite=true to regenerate, then review the diff)",
                            block.expected(), actual);
                }
            }
        }
        if (rewrite) {
            String trailer = trailingText(text);
            Files.writeString(file, ScenarioFile.print(blocks, outputs, trailer), StandardCharsets.UTF_8);
        }
    }

    private static String trailingText(String text) {
        // Comments after the last block are kept when rewriting.
        int lastSep = text.lastIndexOf("\n----\n");
        if (lastSep < 0) {
            return "";
        }
        int endOfOutput = text.indexOf("\n\n", lastSep + 6);
        return endOfOutput < 0 ? "" : text.substring(endOfOutput + 1);
    }
}
