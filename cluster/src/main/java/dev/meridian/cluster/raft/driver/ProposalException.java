package dev.meridian.cluster.raft.driver;

/** Why a proposal's future failed; {@link #leaderNodeId()} is a hint where to retry (0: unknown). */
public final class ProposalException extends RuntimeException {

    /** The kinds of failure. */
    public enum Reason {
        /** This replica is not the leader; the command was not appended. Safe to retry at the hint. */
        NOT_LEADER,
        /** The leader refused it (leadership transfer in progress, or no longer a member). Not appended. */
        REJECTED,
        /**
         * Leadership changed after the command was appended: it may or may not be applied later.
         * The caller must treat the outcome as unknown.
         */
        AMBIGUOUS,
        /** The driver closed or failed; whether appended commands apply is unknown. */
        DRIVER_CLOSED
    }

    private final Reason reason;
    private final long groupId;
    private final long leaderNodeId;

    public ProposalException(Reason reason, long groupId, long leaderNodeId, String detail) {
        super(reason + " for group " + groupId + (leaderNodeId == 0 ? "" : " (leader on node " + leaderNodeId + ")")
                + (detail == null ? "" : ": " + detail));
        this.reason = reason;
        this.groupId = groupId;
        this.leaderNodeId = leaderNodeId;
    }

    public Reason reason() {
        return reason;
    }

    public long groupId() {
        return groupId;
    }

    public long leaderNodeId() {
        return leaderNodeId;
    }
}
