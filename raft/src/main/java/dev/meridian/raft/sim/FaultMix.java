package dev.meridian.raft.sim;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The faults and workload of one seed: per-nemesis-round probabilities and durations in
 * simulated milliseconds. Drawn from the seed so that seeds explore different mixes (a calm
 * network with many crashes, a lossy one with none, ...).
 *
 * @param dropRate        probability a message is lost
 * @param duplicateRate   probability a message is delivered twice
 * @param maxDelayMs      message latency is uniform in [1, maxDelayMs]: reordering
 * @param longDelayRate   probability a message is held back a further up to longDelayMs
 * @param longDelayMs     the longest extra delay
 * @param partitionRate   per round: split the nodes in two halves for up to faultMs
 * @param oneWayRate      per round: cut one direction of one link for up to faultMs
 * @param clogRate        per round: hold all traffic of one node for up to faultMs
 * @param crashRate       per round: crash a node (it loses unsynced writes) for up to faultMs
 * @param faultMs         the longest partition, clog or downtime
 * @param maxSyncMs       an fsync takes [0, maxSyncMs]; a crash in between loses the write
 * @param proposeRate     per round: a client proposes a new entry
 * @param confChangeRate  per round: propose a membership change
 * @param transferRate    per round: ask the leader to transfer leadership
 * @param compactRate     per round: a node snapshots its state machine and compacts its log
 * @param leaderFaultRate probability that a new leader is crashed or cut off within a few
 *                        message delays: leaders change while their entries are partly
 *                        replicated (the Raft paper's Figure 8 needs exactly that)
 */
record FaultMix(double dropRate, double duplicateRate, int maxDelayMs, double longDelayRate, int longDelayMs,
                double partitionRate, double oneWayRate, double clogRate, double crashRate, int faultMs, int maxSyncMs,
                double proposeRate, double confChangeRate, double transferRate, double compactRate,
                double leaderFaultRate) {

    /**
     * A mix with every fault off, for the liveness phase. Latency and fsync time shrink too:
     * Raft's liveness needs the broadcast time (two hops and two fsyncs) well below the election
     * timeout, and the shortest drawn timeout (40ms) is not, with 30ms hops and 10ms fsyncs.
     */
    FaultMix healed() {
        return new FaultMix(0, 0, Math.min(maxDelayMs, 5), 0, 0, 0, 0, 0, 0, faultMs, Math.min(maxSyncMs, 2), 0, 0, 0, 0, 0);
    }

    static FaultMix draw(SplittableRandom r) {
        return new FaultMix(
                pick(r, 0.0, 0.2), pick(r, 0.0, 0.05), 1 + r.nextInt(30), pick(r, 0.0, 0.05), 20 + r.nextInt(280),
                pick(r, 0.0, 0.2), pick(r, 0.0, 0.1), pick(r, 0.0, 0.1), pick(r, 0.0, 0.2), 20 + r.nextInt(280),
                r.nextInt(11), 0.2 + r.nextDouble() * 0.6, pick(r, 0.0, 0.03), pick(r, 0.0, 0.05), pick(r, 0.0, 0.05),
                pick(r, 0.0, 0.9));
    }

    /** Zero a quarter of the time, so that some seeds run without a fault kind at all. */
    private static double pick(SplittableRandom r, double lo, double hi) {
        return r.nextInt(4) == 0 ? 0 : lo + r.nextDouble() * (hi - lo);
    }

    String describe() {
        return String.format(Locale.ROOT,
                "drop=%.3f dup=%.3f delay=1..%dms long-delay=%.3f/%dms partition=%.3f one-way=%.3f clog=%.3f crash=%.3f "
                        + "fault-duration<=%dms fsync=0..%dms propose=%.2f conf-change=%.3f transfer=%.3f compact=%.3f leader-fault=%.2f",
                dropRate, duplicateRate, maxDelayMs, longDelayRate, longDelayMs, partitionRate, oneWayRate, clogRate,
                crashRate, faultMs, maxSyncMs, proposeRate, confChangeRate, transferRate, compactRate, leaderFaultRate);
    }
}
