package dev.meridian.raft.tracker;

/** How the leader replicates to one follower. */
public enum ProgressState {
    /**
     * The leader does not know where the follower's log matches its own: it sends one append
     * at a time and waits for the answer (or a heartbeat response) before the next.
     */
    PROBE,
    /** The logs match up to {@code match}: appends are pipelined, bounded by the in-flight window. */
    REPLICATE,
    /** The follower needs compacted entries: a snapshot is on its way and appends are paused. */
    SNAPSHOT
}
