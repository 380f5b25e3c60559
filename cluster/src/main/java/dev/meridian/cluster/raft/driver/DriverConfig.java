package dev.meridian.cluster.raft.driver;

import java.time.Duration;

/**
 * Settings of one {@link MultiRaftDriver}.
 *
 * @param workerThreads        threads processing groups with work (a small fixed pool)
 * @param tickInterval         real time per Raft tick
 * @param electionTicks        ticks without a leader before a follower campaigns (randomized up to 2x)
 * @param heartbeatTicks       ticks between a leader's heartbeats; must be below electionTicks
 * @param quiesceAfterTicks    idle ticks after which a leader with everything replicated and
 *                             applied quiesces its group; 0 disables quiescence
 * @param maxGroupsPerRound    groups collected into one round (one engine write) at most
 * @param compactionThreshold  applied entries kept in a group's log before it snapshots the state
 *                             machine and discards them; 0 never compacts
 * @param maxSizePerMsg        entry bytes in one append message (at least one entry is sent)
 * @param maxInflightMsgs      appends pipelined to one follower
 * @param leaderAppendsInParallel whether a leader sends its appends before its own log write is
 *                             durable, overlapping the two (Raft thesis 10.2.1; on by default)
 */
public record DriverConfig(int workerThreads, Duration tickInterval, int electionTicks, int heartbeatTicks,
                           int quiesceAfterTicks, int maxGroupsPerRound, long compactionThreshold,
                           long maxSizePerMsg, int maxInflightMsgs, boolean leaderAppendsInParallel) {

    public DriverConfig {
        if (workerThreads <= 0 || maxGroupsPerRound <= 0 || quiesceAfterTicks < 0 || compactionThreshold < 0) {
            throw new IllegalArgumentException("worker threads and round size must be positive, thresholds non-negative");
        }
        if (tickInterval.isNegative() || tickInterval.isZero()) {
            throw new IllegalArgumentException("tick interval must be positive: " + tickInterval);
        }
        if (heartbeatTicks <= 0 || electionTicks <= heartbeatTicks) {
            throw new IllegalArgumentException("need 0 < heartbeatTicks < electionTicks: " + heartbeatTicks + ", " + electionTicks);
        }
    }

    /** 3 workers, 100 ms ticks, election after 10 ticks, heartbeats every tick, quiesce after 5 idle ticks. */
    public static DriverConfig defaults() {
        return new DriverConfig(3, Duration.ofMillis(100), 10, 1, 5, 256, 10_000, 1 << 20, 256, true);
    }

    public DriverConfig withTickInterval(Duration d) {
        return new DriverConfig(workerThreads, d, electionTicks, heartbeatTicks, quiesceAfterTicks, maxGroupsPerRound,
                compactionThreshold, maxSizePerMsg, maxInflightMsgs, leaderAppendsInParallel);
    }

    public DriverConfig withWorkerThreads(int n) {
        return new DriverConfig(n, tickInterval, electionTicks, heartbeatTicks, quiesceAfterTicks, maxGroupsPerRound,
                compactionThreshold, maxSizePerMsg, maxInflightMsgs, leaderAppendsInParallel);
    }

    public DriverConfig withQuiesceAfterTicks(int n) {
        return new DriverConfig(workerThreads, tickInterval, electionTicks, heartbeatTicks, n, maxGroupsPerRound,
                compactionThreshold, maxSizePerMsg, maxInflightMsgs, leaderAppendsInParallel);
    }

    public DriverConfig withCompactionThreshold(long n) {
        return new DriverConfig(workerThreads, tickInterval, electionTicks, heartbeatTicks, quiesceAfterTicks,
                maxGroupsPerRound, n, maxSizePerMsg, maxInflightMsgs, leaderAppendsInParallel);
    }

    public DriverConfig withLeaderAppendsInParallel(boolean on) {
        return new DriverConfig(workerThreads, tickInterval, electionTicks, heartbeatTicks, quiesceAfterTicks,
                maxGroupsPerRound, compactionThreshold, maxSizePerMsg, maxInflightMsgs, on);
    }

    public DriverConfig withElection(int election, int heartbeat) {
        return new DriverConfig(workerThreads, tickInterval, election, heartbeat, quiesceAfterTicks, maxGroupsPerRound,
                compactionThreshold, maxSizePerMsg, maxInflightMsgs, leaderAppendsInParallel);
    }
}
