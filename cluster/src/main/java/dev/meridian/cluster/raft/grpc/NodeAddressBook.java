package dev.meridian.cluster.raft.grpc;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where each node's Raft transport listens. Asked again on every connection attempt, so a node
 * that moved is found at its new address after its old stream breaks. Must be thread-safe.
 */
@FunctionalInterface
public interface NodeAddressBook {

    /** The address of {@code nodeId}'s transport, or empty if the node is unknown. */
    Optional<InetSocketAddress> addressOf(long nodeId);

    /**
     * The address a batch from {@code nodeId} says its sender listens on ("host:port"). A book
     * that can learn keeps it when it knows no address for the node; the default ignores it.
     * Called on transport threads; must not block.
     */
    default void learn(long nodeId, String hostPort) {
    }

    /** A fixed book (a copy of {@code addresses}). */
    static NodeAddressBook of(Map<Long, InetSocketAddress> addresses) {
        TreeMap<Long, InetSocketAddress> copy = new TreeMap<>(addresses);
        return nodeId -> Optional.ofNullable(copy.get(nodeId));
    }
}
