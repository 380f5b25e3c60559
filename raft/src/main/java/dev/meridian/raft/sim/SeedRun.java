package dev.meridian.raft.sim;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * One seed, start to end: the fault phase ({@code steps} events with the seed's fault mix),
 * then the liveness phase (faults off, partitions healed, crashed nodes restarted) in which a
 * probe proposal must commit within {@link #LIVENESS_ELECTION_TIMEOUTS} election timeouts plus
 * catch-up time.
 * Stops at the first violation.
 */
final class SeedRun {

    static final int LIVENESS_ELECTION_TIMEOUTS = 20;
    /** Every this many events the pairwise log-matching check runs over all synced logs. */
    static final int PAIRWISE_CHECK_EVERY = 100;

    /** What one seed did. */
    record Outcome(SeedPlan plan, Violation violation, SimTotals totals) {
    }

    private final SeedPlan plan;
    private final SimCluster cluster;
    private final Nemesis nemesis;
    private long events;
    private long digest = 1125899906842597L;
    private boolean healed;
    private byte[] probe;

    private SeedRun(SeedPlan plan, SplittableRandom rnd, PrintWriter trace) {
        this.plan = plan;
        this.cluster = new SimCluster(plan, rnd.split(), trace);
        this.nemesis = new Nemesis(cluster, rnd.split());
    }

    /** Draws the plan from the seed and runs it; {@code trace} (nullable) receives every event. */
    static Outcome run(long seed, SimOptions options, PrintWriter trace) {
        SplittableRandom root = new SplittableRandom(seed);
        SeedPlan plan = SeedPlan.draw(seed, options, root.split());
        return new SeedRun(plan, root.split(), trace).run();
    }

    static SeedPlan plan(long seed, SimOptions options) {
        return SeedPlan.draw(seed, options, new SplittableRandom(seed).split());
    }

    private Outcome run() {
        cluster.startGroup();
        cluster.queue.after(plan.nemesisMs(), new SimEvent.NemesisRound());
        while (events < plan.steps() && cluster.violation() == null) {
            step();
        }
        if (cluster.violation() == null) {
            livenessPhase();
        }
        if (cluster.violation() == null) {
            cluster.compareDurableLogs();
        }
        return new Outcome(plan, cluster.violation(), totals());
    }

    private void livenessPhase() {
        heal();
        long bound = LIVENESS_ELECTION_TIMEOUTS * plan.electionTimeoutMs() + catchUpAllowanceMs();
        long deadline = cluster.queue.now() + bound;
        while (!cluster.awaitedApplied && cluster.violation() == null && cluster.queue.now() < deadline) {
            step();
        }
        if (!cluster.awaitedApplied && cluster.violation() == null) {
            cluster.reportViolation(new Violation(Violation.Check.LIVENESS, 0, "no proposal committed within "
                    + LIVENESS_ELECTION_TIMEOUTS + " election timeouts plus catch-up time (" + bound + "ms) after healing; "
                    + describeNodes()));
        }
    }

    /**
     * Time for followers to fetch the entries they lack, one round trip per entry (the worst
     * case: one entry per append, one append in flight): the distance from the lowest applied
     * index of a member to the highest last index anywhere. Without it a seed whose faults left
     * followers hundreds of entries behind fails for throughput, not for a bug.
     */
    private long catchUpAllowanceMs() {
        long highestLast = 0;
        long lowestApplied = Long.MAX_VALUE;
        for (SimNode n : cluster.nodes.values()) {
            if (n.life != SimNode.Life.REMOVED && n.joined) {
                highestLast = Math.max(highestLast, n.disk.current().lastIndex());
                lowestApplied = Math.min(lowestApplied, n.appliedIndex());
            }
        }
        long roundTripMs = 2L * (cluster.mix.maxDelayMs() + cluster.mix.maxSyncMs());
        return Math.max(0, highestLast - lowestApplied) * roundTripMs;
    }

    /** Stop faults, heal the network, restart every crashed node. */
    private void heal() {
        healed = true;
        cluster.mix = plan.mix().healed();
        cluster.network.healAll();
        probe = ("probe-" + plan.seed()).getBytes(StandardCharsets.UTF_8);
        cluster.awaitedPayload = probe;
        cluster.log("heal: faults off, network healed, crashed nodes restart");
        for (SimNode n : cluster.nodes.values()) {
            if (n.life == SimNode.Life.CRASHED) {
                cluster.restart(n);
            }
        }
    }

    private void step() {
        EventQueue.Scheduled s = cluster.queue.next();
        events++;
        digest = digest * 1_000_003L + s.time() * 31 + s.event().kind();
        try {
            if (s.event() instanceof SimEvent.NemesisRound) {
                if (healed) {
                    nemesis.proposeProbe(probe);
                } else {
                    nemesis.round();
                }
                cluster.queue.after(plan.nemesisMs(), s.event());
            } else if (s.event() instanceof SimEvent.LeaderFault f) {
                nemesis.strikeLeader(f);
            } else {
                cluster.handle(s.event());
            }
            if (events % PAIRWISE_CHECK_EVERY == 0) {
                cluster.compareDurableLogs();
            }
        } catch (RuntimeException e) {
            cluster.reportViolation(new Violation(Violation.Check.RAFT_INVARIANT, 0, e.toString() + " at "
                    + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?")));
        }
    }

    private String describeNodes() {
        StringBuilder b = new StringBuilder("nodes:");
        for (SimNode n : cluster.nodes.values()) {
            b.append(" n").append(n.id).append('=').append(n.life);
            if (n.up()) {
                var st = n.raw.status();
                b.append('/').append(st.softState().role()).append(" term=").append(st.hardState().term())
                        .append(" lead=").append(st.softState().lead()).append(" commit=").append(st.hardState().commit())
                        .append(" applied=").append(n.appliedIndex()).append(" last=").append(n.disk.current().lastIndex())
                        .append(" conf=").append(st.config());
            }
            b.append(';');
        }
        return b.toString();
    }

    private SimTotals totals() {
        return new SimTotals(cluster.queue.now(), events, cluster.elections(), cluster.history.commits(), cluster.crashes,
                cluster.snapshots, cluster.membershipChanges(), digest * 31 + cluster.history.commits());
    }
}
