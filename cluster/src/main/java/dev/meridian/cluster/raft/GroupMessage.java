package dev.meridian.cluster.raft;

import dev.meridian.raft.Message;

import java.util.Objects;

/**
 * A Raft message of one group. The message's {@code from} and {@code to} are replica ids within
 * the group; which node hosts a replica is the driver's business, not the transport's.
 *
 * @param groupId the Raft group (a range id once ranges exist)
 * @param message the protocol message
 */
public record GroupMessage(long groupId, Message message) {
    public GroupMessage {
        Objects.requireNonNull(message, "message");
    }
}
