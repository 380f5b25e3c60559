package dev.meridian.raft.sim;

/**
 * What to simulate. Every other parameter (the fault mix, timings, and the group size when
 * {@code nodes == 0}) is drawn from each seed.
 *
 * @param firstSeed the first seed to run
 * @param seeds     how many consecutive seeds to run, from {@code firstSeed}
 * @param nodes     the initial group size, 3..7, or 0 to draw it from each seed
 * @param steps     events in the fault phase of each seed, before the liveness phase
 * @param verbose   print every event of every seed
 * @param bug       the deliberate bug to run with, {@link InjectedBug#NONE} normally
 */
public record SimOptions(long firstSeed, int seeds, int nodes, int steps, boolean verbose, InjectedBug bug) {

    public static final int DEFAULT_STEPS = 2_000;
    public static final int MIN_NODES = 3;
    public static final int MAX_NODES = 7;

    public SimOptions {
        if (seeds < 1) {
            throw new IllegalArgumentException("--seeds must be at least 1: " + seeds);
        }
        if (nodes != 0 && (nodes < MIN_NODES || nodes > MAX_NODES)) {
            throw new IllegalArgumentException("--nodes must be between " + MIN_NODES + " and " + MAX_NODES + ": " + nodes);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1: " + steps);
        }
        bug = bug == null ? InjectedBug.NONE : bug;
    }

    /** Seeds 1..n with everything else drawn from each seed. */
    public static SimOptions seeds(int n) {
        return new SimOptions(1, n, 0, DEFAULT_STEPS, false, InjectedBug.NONE);
    }

    /** Exactly one seed. */
    public static SimOptions single(long seed, int nodes, int steps, InjectedBug bug) {
        return new SimOptions(seed, 1, nodes, steps, false, bug);
    }

    public SimOptions withSteps(int n) {
        return new SimOptions(firstSeed, seeds, nodes, n, verbose, bug);
    }

    public SimOptions withBug(InjectedBug b) {
        return new SimOptions(firstSeed, seeds, nodes, steps, verbose, b);
    }

    public SimOptions withVerbose(boolean v) {
        return new SimOptions(firstSeed, seeds, nodes, steps, v, bug);
    }
}
