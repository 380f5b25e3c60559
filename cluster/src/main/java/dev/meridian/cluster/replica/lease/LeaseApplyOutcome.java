package dev.meridian.cluster.replica.lease;

import java.util.Objects;

/**
 * The decision {@link Leases#checkApply} takes for a proposed lease: accepted, or refused with a
 * reason. Every replica reaches the same decision from the same inputs.
 *
 * @param code   the decision
 * @param detail a human-readable explanation (empty when accepted)
 */
public record LeaseApplyOutcome(Code code, String detail) {

    /** The decision; everything but {@link #ACCEPTED} is a refusal. */
    public enum Code {
        ACCEPTED,
        /** The proposal is not a lease: empty, no holder, or a bad sequence. */
        MALFORMED,
        /** expiration &lt;= start. */
        EMPTY_INTERVAL,
        /** The lease the proposer saw is no longer the lease: someone changed it meanwhile. */
        PREVIOUS_LEASE_CHANGED,
        /** An extension (same holder, same sequence) that moves the start. */
        START_CHANGED,
        /** An extension that would end the lease earlier. */
        SHORTENED,
        /** A new lease whose sequence is not the current one plus one. */
        SEQUENCE_MISMATCH,
        /** A new lease that starts before the current one expires and is not a transfer by its holder. */
        OVERLAPS_CURRENT
    }

    public LeaseApplyOutcome {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(detail, "detail");
    }

    static final LeaseApplyOutcome ACCEPTED = new LeaseApplyOutcome(Code.ACCEPTED, "");

    static LeaseApplyOutcome refused(Code code, String detail) {
        return new LeaseApplyOutcome(code, detail);
    }

    /** Whether the proposed lease becomes the lease. */
    public boolean accepted() {
        return code == Code.ACCEPTED;
    }
}
