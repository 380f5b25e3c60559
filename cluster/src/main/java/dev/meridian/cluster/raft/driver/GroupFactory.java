package dev.meridian.cluster.raft.driver;

/**
 * Creates the state machine of a group this node does not host yet, when a message for it
 * arrives (a leader adding a replica here). The driver then hosts an uninitialized replica with
 * an empty log, which a snapshot from the leader initializes.
 *
 * <p>Called on transport threads, one call at a time per driver (under the lock that makes
 * creation happen once), only for messages a leader or candidate starts, and never for a group
 * whose log is on the engine. It must be quick and must not call the driver's create, load or
 * remove methods.
 */
@FunctionalInterface
public interface GroupFactory {

    /**
     * @param groupId   the group the message is for
     * @param replicaId the replica id the message is addressed to
     * @param fromNode  the node that sent it
     * @return the state machine, or null to drop the message (for example for a group this
     *         node has removed)
     */
    StateMachine createUninitialized(long groupId, long replicaId, long fromNode);
}
