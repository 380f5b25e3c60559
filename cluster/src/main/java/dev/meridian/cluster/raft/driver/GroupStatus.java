package dev.meridian.cluster.raft.driver;

import dev.meridian.raft.Role;

/**
 * One replica's view of its group, taken on the worker that owns it.
 *
 * @param leaderReplicaId the leader as known here, 0 for none
 * @param leaderNodeId    the node hosting that leader, 0 if unknown
 * @param raftTicks       ticks the replica's Raft node has received: stops moving while quiesced
 * @param quiesced        whether the group is quiet on this replica (not ticked)
 */
public record GroupStatus(long groupId, long replicaId, Role role, long leaderReplicaId, long leaderNodeId, long term,
                          long commit, long applied, long firstIndex, long lastIndex, long raftTicks, boolean quiesced) {
}
