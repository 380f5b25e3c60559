package dev.meridian.server;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code meridian sim raft} through the real command line: seeds, exit codes, replay commands. */
class SimCommandTest {

    private static final Pattern REPLAY = Pattern.compile("replay with: bin/meridian (sim raft [^\\n]*)");
    private static final Pattern VIOLATION = Pattern.compile("seed (\\d+): VIOLATION ([^\\n]*)");

    @Test
    void twentySeedsPassAndAreNamed() {
        CommandLineTest.Run r = CommandLineTest.run("sim", "raft", "--seeds", "20");
        assertThat(r.exitCode()).as(r.err()).isZero();
        for (int seed = 1; seed <= 20; seed++) {
            assertThat(r.out()).contains("seed " + seed + ": nodes=", "seed " + seed + ": ok ");
        }
        assertThat(r.out()).contains("summary: seeds=20 violations=0");
    }

    @Test
    void anInjectedDoubleVoteFailsAndItsReplayCommandReproducesTheViolation() {
        CommandLineTest.Run r = CommandLineTest.run("sim", "raft", "--inject-bug", "double-vote", "--seeds", "500");
        assertThat(r.exitCode()).isEqualTo(1);
        Matcher replay = REPLAY.matcher(r.out());
        Matcher violation = VIOLATION.matcher(r.out());
        assertThat(replay.find()).as("a replay command in:\n" + r.out().lines().limit(20).toList()).isTrue();
        assertThat(violation.find()).isTrue();
        assertThat(replay.group(1)).startsWith("sim raft --seed " + violation.group(1) + " --nodes ")
                .endsWith("--inject-bug double-vote");

        CommandLineTest.Run again = CommandLineTest.run(replay.group(1).split(" "));
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.out()).contains("seed " + violation.group(1) + ": VIOLATION " + violation.group(2))
                .contains("summary: seeds=1 violations=1");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(CommandLineTest.run("sim", "raft", "--nodes", "9").exitCode()).isEqualTo(2);
        assertThat(CommandLineTest.run("sim", "raft", "--seed", "3", "--seeds", "5").exitCode()).isEqualTo(2);
        CommandLineTest.Run badBug = CommandLineTest.run("sim", "raft", "--inject-bug", "nope");
        assertThat(badBug.exitCode()).isEqualTo(2);
        assertThat(badBug.err()).contains("double-vote", "commit-old-term");
    }

    @Test
    void helpShowsAnExampleForEveryFlag() {
        CommandLineTest.Run r = CommandLineTest.run("sim", "raft", "--help");
        assertThat(r.exitCode()).isZero();
        java.util.List<String> examples = r.out().lines().filter(l -> l.startsWith("  meridian sim raft ")).toList();
        for (String flag : new String[] {"--seeds ", "--first-seed ", "--seed ", "--nodes ", "--steps ", "--verbose", "--inject-bug "}) {
            assertThat(examples).as("an example using " + flag).anyMatch(l -> l.contains(flag));
        }
    }
}
