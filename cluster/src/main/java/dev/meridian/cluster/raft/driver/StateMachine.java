package dev.meridian.cluster.raft.driver;

import java.util.List;

/**
 * What a group replicates into, one per replica. All calls come from driver worker threads, one
 * at a time per group, always after the entries involved are durable in the Raft log.
 */
public interface StateMachine {

    /**
     * Applies a committed command. Called in index order, once per index per incarnation of the
     * driver, for application commands only (the leader's empty no-ops and membership changes
     * are not passed on). Must be deterministic: every replica applies the same commands.
     */
    void apply(long index, byte[] command);

    /**
     * The index of the last command applied, as durable as the state itself; the driver
     * re-applies committed commands after it on restart. A purely in-memory state machine
     * returns 0 after a restart and gets rebuilt from the log (and its snapshot).
     */
    long appliedIndex();

    /** The whole state as of the last command applied; becomes a Raft snapshot. */
    byte[] snapshot();

    /** Replaces the whole state with a snapshot taken at {@code index} (possibly on another node). */
    void restore(long index, byte[] data);

    /**
     * Applies the context of a committed membership change at {@code index}, right after the
     * group's configuration changed (a range writes its new descriptor here). Called in index
     * order with {@link #apply}, on every replica that applies the entry (a replica that is
     * initialized by a snapshot taken after the change never sees it: its snapshot must carry
     * the same information). A change proposed without context, and the leader's own step out
     * of a joint configuration, are passed an empty array.
     */
    default void applyConfChange(long index, byte[] context) {
    }

    /**
     * Where the group's replicas live, as this state machine knows it (a range: from its
     * descriptor), or null if it does not know. The driver refreshes its routing from it after a
     * restore and after every membership change.
     */
    default List<Peer> peers() {
        return null;
    }
}
