package dev.meridian.cluster.raft.driver;

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
}
