package dev.meridian.cluster.raft.driver;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * Which node hosts each replica of one group. Written only by the worker that holds the group
 * (learning from a message it steps, refreshing from the state machine after a membership
 * change or a snapshot); read by any thread ({@code TransportReceiver.unreachable} runs on
 * transport threads). Every write publishes a new immutable map through a volatile field, so a
 * reader sees one consistent table.
 *
 * <p>Routes rest on the rule that a replica id is never reused within a group (the range layer
 * hands out ids from a counter in its descriptor; a re-added replica gets a new id): a route that
 * was right once never becomes wrong, only stale (its node no longer hosts the replica, and
 * refuses or drops what it gets).
 */
final class ReplicaRoutes {

    private volatile Map<Long, Long> nodeOfReplica;

    ReplicaRoutes(Map<Long, Long> initial) {
        this.nodeOfReplica = Map.copyOf(initial);
    }

    /** The node of {@code replicaId}, or 0 if unknown. */
    long nodeOf(long replicaId) {
        return nodeOfReplica.getOrDefault(replicaId, 0L);
    }

    /** The whole table as of now (immutable). */
    Map<Long, Long> table() {
        return nodeOfReplica;
    }

    /** Records that {@code replicaId} sent from {@code nodeId}. Worker only. */
    void learn(long replicaId, long nodeId) {
        Map<Long, Long> current = nodeOfReplica;
        if (replicaId <= 0 || nodeId <= 0 || current.getOrDefault(replicaId, 0L) == nodeId) {
            return;
        }
        Map<Long, Long> next = new TreeMap<>(current);
        next.put(replicaId, nodeId);
        nodeOfReplica = Map.copyOf(next);
    }

    /**
     * Replaces the table with {@code peers}, keeping a learned route only for a replica that
     * {@code isMember} still (a member the state machine's list does not know of yet, e.g. while
     * this replica lags behind the change that added it). Routes of removed members go, so the
     * table stays as small as the group. Worker only.
     */
    void refresh(List<Peer> peers, LongPredicate isMember) {
        Map<Long, Long> next = new TreeMap<>();
        nodeOfReplica.forEach((replica, node) -> {
            if (isMember.test(replica)) {
                next.put(replica, node);
            }
        });
        for (Peer p : peers) {
            next.put(p.replicaId(), p.nodeId());
        }
        nodeOfReplica = Map.copyOf(next);
    }
}
