package dev.meridian.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioFileTest {

    static final String FILE = """
            # A counter that echoes.
            add n=2
            ----
            total 2

            add n=3 tags=(a,b) verbose
            line one
            line two
            ----
            total 5
            tags a,b
            input line one|line two

            # trailing comment
            """;

    /** A handler that keeps a total, so a wrong expected output must fail. */
    static final class Counter implements ScenarioHandler {
        long total;

        @Override
        public String run(Directive d) {
            total += d.longArg("n");
            StringBuilder out = new StringBuilder("total " + total);
            if (d.has("tags")) {
                out.append("\ntags ").append(String.join(",", d.values("tags")));
            }
            if (!d.input().isEmpty()) {
                out.append("\n\ninput ").append(d.input().replace('\n', '|'));
            }
            return out.toString();
        }
    }

    @Test
    void parsesCommandsArgumentsInputAndExpectedOutput() {
        List<ScenarioFile.Block> blocks = ScenarioFile.parse("f.txt", FILE);
        assertThat(blocks).hasSize(2);
        Directive second = blocks.get(1).directive();
        assertThat(second.command()).isEqualTo("add");
        assertThat(second.line()).isEqualTo(6);
        assertThat(second.values("tags")).containsExactly("a", "b");
        assertThat(second.has("verbose")).isTrue();
        assertThat(second.input()).isEqualTo("line one\nline two");
        assertThat(blocks.get(1).expected()).isEqualTo("total 5\ntags a,b\ninput line one|line two");
    }

    @Test
    void printingWithTheExpectedOutputsReproducesTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("counter.txt");
        Files.writeString(f, FILE);
        System.setProperty("rewrite", "true");
        try {
            Scenarios.runFile(f, new Counter());
        } finally {
            System.clearProperty("rewrite");
        }
        assertThat(Files.readString(f)).isEqualTo(FILE);
    }

    @Test
    void aWrongExpectedOutputFailsWithFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, FILE.replace("total 5", "total 6"));
        assertThatThrownBy(() -> Scenarios.runFile(f, new Counter()))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("bad.txt:6");
    }

    @Test
    void rewriteReplacesWrongOutputAndKeepsComments(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("fix.txt");
        Files.writeString(f, FILE.replace("total 5", "total 6"));
        System.setProperty("rewrite", "true");
        try {
            Scenarios.runFile(f, new Counter());
        } finally {
            System.clearProperty("rewrite");
        }
        assertThat(Files.readString(f)).isEqualTo(FILE);
    }

    @Test
    void malformedFilesAreRejectedWithTheirLine() {
        assertThatThrownBy(() -> ScenarioFile.parse("m.txt", "add n=1\ntotal 1\n"))
                .hasMessageContaining("m.txt:").hasMessageContaining("expected ---- after command on line 1");
        assertThatThrownBy(() -> ScenarioFile.parse("q.txt", "add n=(1,2\n----\n"))
                .hasMessageContaining("unbalanced");
    }
}
