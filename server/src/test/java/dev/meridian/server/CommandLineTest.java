package dev.meridian.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code meridian} command line: help, version, and the MVCC demo on a real store. */
class CommandLineTest {

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Meridian.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsEverySubcommandWithAnExample() {
        Run r = run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("version", "debug", "Examples:");
    }

    @Test
    void versionNamesTheBuildAndTheRuntime() {
        Run r = run("version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("meridian 0.1.0").contains("java " + Runtime.version().feature());
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        Run r = run("frobnicate");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unmatched argument").contains("frobnicate");
    }

    @Test
    void mvccDemoShowsEveryCaseAndSurvivesReopening(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("store");
        Run r = run("debug", "mvcc-demo", "--store", store.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .contains("get apple @15,0 -> FOUND red (version @10,0)")
                .contains("get apple @25,0 -> FOUND green (version @20,0)")
                .contains("get apple @5,0 -> NOT_FOUND no version")
                .contains("get apple @35,0 -> NOT_FOUND deleted (tombstone @30,0)")
                .contains("(uncertain up to 22,0) -> UNCERTAIN (a version @20,0 may precede the read")
                .contains("put apple=blue @25 -> WRITE_TOO_OLD: nothing written; must move to 30,1")
                .contains("get banana @45,0 -> INTENT")
                .contains("get banana @55,0 -> FOUND yellow (version @50,0)")
                .contains("equal those kept while writing: true");
        // A store that was given is kept; a second tour on it is refused, not mixed in.
        assertThat(entries(store)).isNotEmpty();
        Run again = run("debug", "mvcc-demo", "--store", store.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already holds data");
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void mvccDemoRefusesADirectoryThatIsNotAStore(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("precious.txt"), "not a database");
        Run r = run("debug", "mvcc-demo", "--store", dir.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("not a Meridian store");
        assertThat(entries(dir)).hasSize(1);
        assertThat(Files.readString(dir.resolve("precious.txt"))).isEqualTo("not a database");
    }
}
