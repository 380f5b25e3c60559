package dev.meridian.raft;

/** A node's role in its group. */
public enum Role {
    FOLLOWER,
    /** Asking for pre-votes at term+1 without raising its own term (pre-vote extension). */
    PRE_CANDIDATE,
    CANDIDATE,
    LEADER;

    /** Lower-case name used in logs and scenario output. */
    public String display() {
        return switch (this) {
            case FOLLOWER -> "follower";
            case PRE_CANDIDATE -> "pre-candidate";
            case CANDIDATE -> "candidate";
            case LEADER -> "leader";
        };
    }
}
