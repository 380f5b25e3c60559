package dev.meridian.cluster.replica.lease;

import dev.meridian.proto.kv.Lease;
import dev.meridian.storage.mvcc.Timestamp;

import java.util.Objects;

/**
 * What a lease allows at one clock reading, as computed by {@link Leases#status}.
 *
 * @param state        where {@code now} falls in the lease's life
 * @param lease        the lease examined
 * @param now          the clock reading it was examined at
 * @param ownedLocally whether the lease names the node that asked
 */
public record LeaseStatus(State state, Lease lease, Timestamp now, boolean ownedLocally) {

    /** Where a reading falls relative to a lease [start, expiration). */
    public enum State {
        /** There is no lease (the empty lease, sequence 0). */
        NONE,
        /** now &lt; expiration - max-offset: the holder may serve. */
        VALID,
        /**
         * expiration - max-offset &lt;= now &lt; expiration: still the lease, so nobody else may
         * take it, but the holder must not serve: a reader whose clock is up to max-offset behind
         * could otherwise miss a write of the next holder that is in its uncertainty window.
         */
        STASIS,
        /** now &gt;= expiration: anyone may ask for a new lease. */
        EXPIRED
    }

    public LeaseStatus {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(now, "now");
    }

    /** Whether the lease names {@code nodeId} as holder (false for {@link State#NONE}). */
    public boolean ownedBy(long nodeId) {
        return state != State.NONE && lease.getReplica().getNodeId() == nodeId;
    }

    /** Whether the asking node may serve reads and evaluate writes under this lease now. */
    public boolean canServe() {
        return state == State.VALID && ownedLocally;
    }
}
