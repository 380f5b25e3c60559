package dev.meridian.raft.sim;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry point of the deterministic Raft simulator: runs the seeds {@link SimOptions} asks
 * for, prints each seed's derived options and outcome, a replay command for each failure, and
 * a summary.
 */
public final class RaftSimulation {

    private RaftSimulation() {
    }

    public static SimResult run(SimOptions options, PrintWriter out) {
        List<SimResult.SeedFailure> failures = new ArrayList<>();
        SimTotals totals = SimTotals.ZERO;
        for (long seed = options.firstSeed(); seed < options.firstSeed() + options.seeds(); seed++) {
            SeedPlan plan = SeedRun.plan(seed, options);
            out.println("seed " + seed + ": " + plan.describe());
            SeedRun.Outcome o = SeedRun.run(seed, options, options.verbose() ? out : null);
            totals = totals.plus(o.totals());
            if (o.violation() == null) {
                out.println("seed " + seed + ": ok " + o.totals());
            } else {
                out.println("seed " + seed + ": VIOLATION " + o.violation());
                out.println("seed " + seed + ": replay with: " + plan.replayCommand());
                failures.add(new SimResult.SeedFailure(seed, plan.nodes(), plan.steps(), plan.bug(), o.violation(),
                        plan.replayCommand()));
            }
            out.flush();
        }
        out.println("summary: seeds=" + options.seeds() + " violations=" + failures.size() + " " + totals);
        for (SimResult.SeedFailure f : failures) {
            out.println("  failed seed " + f.seed() + ": " + f.violation().check().display() + " -- " + f.replayCommand());
        }
        out.flush();
        return new SimResult(options.seeds(), failures, totals);
    }

    /** Runs seeds from {@code options.firstSeed()} until the first violation or {@code maxSeeds}. */
    public static SimResult runUntilViolation(SimOptions options, int maxSeeds, PrintWriter out) {
        SimTotals totals = SimTotals.ZERO;
        for (long seed = options.firstSeed(); seed < options.firstSeed() + maxSeeds; seed++) {
            SeedRun.Outcome o = SeedRun.run(seed, options, null);
            totals = totals.plus(o.totals());
            if (o.violation() != null) {
                SeedPlan plan = o.plan();
                out.println("seed " + seed + ": VIOLATION " + o.violation());
                out.println("seed " + seed + ": replay with: " + plan.replayCommand());
                out.flush();
                return new SimResult((int) (seed - options.firstSeed() + 1), List.of(new SimResult.SeedFailure(seed,
                        plan.nodes(), plan.steps(), plan.bug(), o.violation(), plan.replayCommand())), totals);
            }
        }
        return new SimResult(maxSeeds, List.of(), totals);
    }
}
