package dev.meridian.cluster.raft;

import java.util.List;

/**
 * Everything one node sends another in one flush of the MultiRaft driver: the messages of every
 * group with work for that node, heartbeats of all groups included (so heartbeats are coalesced
 * per node pair into one network message). The unit a {@link RaftTransport} sends.
 *
 * @param fromNode the sending node
 * @param toNode   the receiving node
 * @param messages the messages, in the order the groups produced them (per group order matters:
 *                 Raft relies on a sender's messages to one peer arriving in order or not at all
 *                 only for efficiency, never for safety)
 */
public record RaftMessageBatch(long fromNode, long toNode, List<GroupMessage> messages) {
    public RaftMessageBatch {
        messages = List.copyOf(messages);
        if (fromNode <= 0 || toNode <= 0) {
            throw new IllegalArgumentException("node ids are positive: " + fromNode + " -> " + toNode);
        }
    }
}
