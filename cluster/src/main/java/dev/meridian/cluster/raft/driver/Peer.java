package dev.meridian.cluster.raft.driver;

/** A member of a group: its replica id within the group and the node that hosts it. */
public record Peer(long replicaId, long nodeId) {
    public Peer {
        if (replicaId <= 0 || nodeId <= 0) {
            throw new IllegalArgumentException("replica and node ids are positive: " + replicaId + "@" + nodeId);
        }
    }
}
