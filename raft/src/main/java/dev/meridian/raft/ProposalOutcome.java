package dev.meridian.raft;

/**
 * What happened to a proposal. Only {@link #APPENDED} and {@link #FORWARDED} can ever commit;
 * even they may be lost (leader change) and the application must time out and retry.
 */
public enum ProposalOutcome {
    /** This node is leader and appended the entry to its log. */
    APPENDED,
    /** Sent to the known leader; it may still drop it. */
    FORWARDED,
    /** No leader known (or an election in progress): retry later. */
    NO_LEADER,
    /** The leader is handing over leadership and takes no proposals meanwhile. */
    LEADER_TRANSFER_IN_PROGRESS,
    /** Another membership change is not yet applied; only one may be pending at a time. */
    CONF_CHANGE_PENDING,
    /** The membership change is invalid for the current configuration (e.g. entering joint twice). */
    CONF_CHANGE_REJECTED,
    /** This node was removed from the group (or is a learner asked to do what only members may). */
    NOT_A_MEMBER
}
