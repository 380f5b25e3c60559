package dev.meridian.raft.sim;

import dev.meridian.raft.Config;

import java.util.SplittableRandom;

/**
 * Everything one seed's run is made of, drawn from the seed in a fixed order so that the same
 * seed always gives the same plan. The group size is drawn even when {@code --nodes} overrides
 * it, so that the override changes nothing else.
 *
 * @param nodes          the initial voters, ids 1..nodes
 * @param steps          events in the fault phase
 * @param mix            faults and workload
 * @param electionTicks  ticks before a follower campaigns (randomized up to twice that)
 * @param heartbeatTicks ticks between heartbeats
 * @param tickMs         simulated milliseconds per tick (each node drifts from it by up to 10%)
 * @param maxMsgBytes    entries per append message in bytes (small: one entry per message)
 * @param maxInflight    appends in flight per follower
 * @param preVote        whether pre-vote is on
 * @param checkQuorum    whether check-quorum is on
 * @param nemesisMs      simulated milliseconds between nemesis rounds
 */
record SeedPlan(long seed, int nodes, int steps, FaultMix mix, int electionTicks, int heartbeatTicks, int tickMs,
                long maxMsgBytes, int maxInflight, boolean preVote, boolean checkQuorum, int nemesisMs, InjectedBug bug) {

    static SeedPlan draw(long seed, SimOptions options, SplittableRandom r) {
        // Three nodes half of the time: the smallest group needs the fewest coincidences for
        // Figure 8 situations; the other half spreads over 4..7.
        int drawnNodes = r.nextBoolean() ? SimOptions.MIN_NODES
                : SimOptions.MIN_NODES + 1 + r.nextInt(SimOptions.MAX_NODES - SimOptions.MIN_NODES);
        int nodes = options.nodes() == 0 ? drawnNodes : options.nodes();
        FaultMix mix = FaultMix.draw(r);
        // Short election timeouts next to message delays of up to 30ms: more elections, some
        // spurious, so leaders change often while entries are partly replicated.
        int election = 4 + r.nextInt(7);
        int heartbeat = 1 + r.nextInt(Math.max(1, election / 3));
        // One entry per append most of the time: a leader then replicates an old-term entry
        // and its own no-op in separate messages, which Figure 8 situations need.
        long[] sizes = {1, 1, 1, 64, 1 << 20};
        return new SeedPlan(seed, nodes, options.steps(), mix, election, heartbeat, 10, sizes[r.nextInt(sizes.length)],
                1 + r.nextInt(8), r.nextInt(3) == 0, r.nextBoolean(), 5 + r.nextInt(16), options.bug());
    }

    Config config(long id) {
        return Config.defaults(id).withElection(electionTicks, heartbeatTicks).withFlowControl(maxMsgBytes, maxInflight, 0)
                .withPreVote(preVote).withCheckQuorum(checkQuorum).withKnobs(bug.knobs());
    }

    /** Simulated time of one election timeout. */
    long electionTimeoutMs() {
        return (long) electionTicks * tickMs;
    }

    String describe() {
        return "nodes=" + nodes + " steps=" + steps + " election=" + electionTicks + "t heartbeat=" + heartbeatTicks + "t tick="
                + tickMs + "ms max-msg=" + maxMsgBytes + "B inflight=" + maxInflight + " prevote=" + preVote
                + " checkquorum=" + checkQuorum + " nemesis-every=" + nemesisMs + "ms " + mix.describe()
                + (bug == InjectedBug.NONE ? "" : " inject-bug=" + bug.cliName());
    }

    String replayCommand() {
        return "bin/meridian sim raft --seed " + seed + " --nodes " + nodes + " --steps " + steps
                + (bug == InjectedBug.NONE ? "" : " --inject-bug " + bug.cliName());
    }
}
