package dev.meridian.cluster.raft.driver;

/**
 * Running totals of one driver, the same figures it reports as {@code meridian.raft.*} metrics,
 * readable without a metrics SDK (tests and benchmarks).
 *
 * @param groupAppends     Readies whose entries were persisted (one group, one round)
 * @param fsyncs           synced engine writes, each covering every Ready of a round
 * @param tickerRounds     passes of the ticker over the groups
 * @param ticks            ticks delivered to Raft nodes
 * @param groupsCreated    group replicas created here (by the caller or on demand)
 * @param groupsRemoved    group replicas removed here, their logs deleted
 * @param replicasCreatedOnDemand uninitialized replicas created for an incoming message
 * @param confChangesProposed membership changes proposed through this driver
 * @param confChangesApplied  membership changes applied here (leave-joint steps included)
 */
public record DriverStats(long proposals, long proposalsDropped, long entriesApplied, long readyRounds,
                          long groupAppends, long entriesPersisted, long fsyncs, long tickerRounds, long ticks,
                          long messagesSent, long messagesReceived, long messagesDroppedUnknownGroup,
                          long quiescentGroups, long leaderChanges, long snapshotsApplied, long compactions,
                          long groupsCreated, long groupsRemoved, long replicasCreatedOnDemand,
                          long confChangesProposed, long confChangesApplied) {
}
