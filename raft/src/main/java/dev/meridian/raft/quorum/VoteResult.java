package dev.meridian.raft.quorum;

/** The outcome of counting votes against a configuration. */
public enum VoteResult {
    /** Neither a quorum of grants nor enough rejections yet: wait for more votes. */
    PENDING,
    /** Enough rejections that a quorum of grants is no longer possible. */
    LOST,
    /** A quorum granted the vote. */
    WON
}
