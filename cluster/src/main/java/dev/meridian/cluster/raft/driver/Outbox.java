package dev.meridian.cluster.raft.driver;

import dev.meridian.cluster.raft.GroupMessage;
import dev.meridian.cluster.raft.RaftMessageBatch;
import dev.meridian.cluster.raft.RaftTransport;
import dev.meridian.raft.MessageType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages of one worker round, grouped by destination node: each flush sends one
 * {@link RaftMessageBatch} per node, so the heartbeats of every group between two nodes travel
 * together. Within a batch, a group's messages keep the order the group produced them.
 */
final class Outbox {

    /** Where snapshot-send outcomes go: the group must hear about every snapshot it sent. */
    interface SnapshotReports {
        void report(GroupReplica group, long toReplica, boolean handedOver);
    }

    private record SnapshotSent(GroupReplica group, long toReplica) {
    }

    private final long fromNode;
    private final Map<Long, List<GroupMessage>> byNode = new LinkedHashMap<>();
    private final Map<Long, List<SnapshotSent>> snapshotsByNode = new LinkedHashMap<>();

    Outbox(long fromNode) {
        this.fromNode = fromNode;
    }

    void add(long toNode, GroupMessage m, GroupReplica from) {
        byNode.computeIfAbsent(toNode, k -> new ArrayList<>()).add(m);
        if (m.message().type() == MessageType.SNAP) {
            snapshotsByNode.computeIfAbsent(toNode, k -> new ArrayList<>()).add(new SnapshotSent(from, m.message().to()));
        }
    }

    boolean isEmpty() {
        return byNode.isEmpty();
    }

    /**
     * Sends one batch per destination and clears. A snapshot counts as delivered once the
     * transport accepted it: the in-memory and gRPC transports either deliver a batch whole or
     * drop it, and a dropped snapshot is retried by the leader after its follower stays behind.
     */
    void flush(RaftTransport transport, SnapshotReports reports) {
        for (Map.Entry<Long, List<GroupMessage>> e : byNode.entrySet()) {
            boolean accepted = transport.send(new RaftMessageBatch(fromNode, e.getKey(), e.getValue()));
            for (SnapshotSent s : snapshotsByNode.getOrDefault(e.getKey(), List.of())) {
                reports.report(s.group(), s.toReplica(), accepted);
            }
        }
        byNode.clear();
        snapshotsByNode.clear();
    }
}
