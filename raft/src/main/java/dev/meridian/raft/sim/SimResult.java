package dev.meridian.raft.sim;

import java.util.List;

/**
 * The outcome of a simulation run over one or more seeds.
 *
 * @param seedsRun seeds simulated
 * @param failures the seeds that violated a property, each with its replay command
 * @param totals   what the seeds covered
 */
public record SimResult(int seedsRun, List<SeedFailure> failures, SimTotals totals) {

    public SimResult {
        failures = List.copyOf(failures);
    }

    /** 0 when every seed passed, 1 when one violated a property. */
    public int exitCode() {
        return failures.isEmpty() ? 0 : 1;
    }

    /**
     * One failing seed.
     *
     * @param replayCommand the exact command line that replays this seed alone
     */
    public record SeedFailure(long seed, int nodes, int steps, InjectedBug bug, Violation violation, String replayCommand) {
    }
}
