package dev.meridian.cluster.raft.driver;

/**
 * Running totals of one driver, the same figures it reports as {@code meridian.raft.*} metrics,
 * readable without a metrics SDK (tests and benchmarks).
 *
 * @param groupAppends     Readies whose entries were persisted (one group, one round)
 * @param fsyncs           synced engine writes, each covering every Ready of a round
 * @param tickerRounds     passes of the ticker over the groups
 * @param ticks            ticks delivered to Raft nodes
 */
public record DriverStats(long proposals, long proposalsDropped, long entriesApplied, long readyRounds,
                          long groupAppends, long entriesPersisted, long fsyncs, long tickerRounds, long ticks,
                          long messagesSent, long messagesReceived, long messagesDroppedUnknownGroup,
                          long quiescentGroups, long leaderChanges, long snapshotsApplied, long compactions) {
}
