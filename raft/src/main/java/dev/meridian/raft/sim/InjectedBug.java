package dev.meridian.raft.sim;

import dev.meridian.raft.TestingKnobs;

import java.util.ArrayList;
import java.util.List;

/** A deliberately broken Raft variant the simulator can run, to prove its checkers can fail. */
public enum InjectedBug {
    NONE("none", TestingKnobs.NONE),
    /** A node grants its vote to every candidate of a term: two leaders in one term. */
    DOUBLE_VOTE("double-vote", new TestingKnobs(true, false)),
    /** A leader commits entries of earlier terms by counting replicas (Raft paper, Figure 8). */
    COMMIT_OLD_TERM("commit-old-term", new TestingKnobs(false, true));

    private final String cliName;
    private final TestingKnobs knobs;

    InjectedBug(String cliName, TestingKnobs knobs) {
        this.cliName = cliName;
        this.knobs = knobs;
    }

    /** The name used on the command line ({@code --inject-bug double-vote}). */
    public String cliName() {
        return cliName;
    }

    public TestingKnobs knobs() {
        return knobs;
    }

    /** Parses a command-line name; throws {@link IllegalArgumentException} naming the valid ones. */
    public static InjectedBug fromCliName(String name) {
        List<String> names = new ArrayList<>();
        for (InjectedBug b : values()) {
            if (b.cliName.equals(name)) {
                return b;
            }
            names.add(b.cliName);
        }
        throw new IllegalArgumentException("unknown bug '" + name + "'; choose one of " + names);
    }
}
