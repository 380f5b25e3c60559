package dev.meridian.cluster.replica.lease;

import dev.meridian.cluster.replica.lease.LeaseApplyOutcome.Code;
import dev.meridian.cluster.time.Timestamps;
import dev.meridian.proto.kv.Lease;
import dev.meridian.proto.kv.ReplicaDescriptor;
import dev.meridian.storage.mvcc.Timestamp;

import java.time.Duration;
import java.util.Objects;

/**
 * The rules of range leases, as pure functions of their inputs: no clock is read, every
 * timestamp is passed in, and every replica that calls {@link #checkApply} with the same inputs
 * gets the same answer. See the package documentation for the safety argument.
 *
 * <p>A lease is <em>empty</em> when its sequence is 0 (the default instance); real leases have
 * sequence 1 and up. A lease's holder is identified by node, store and replica id (the replica
 * type may change while it holds the lease).
 */
public final class Leases {

    private Leases() {
    }

    /** Whether {@code lease} is the empty lease (no holder yet). */
    public static boolean isEmpty(Lease lease) {
        return lease.getSequence() == 0;
    }

    /** Whether two descriptors name the same replica (node, store and replica id). */
    public static boolean sameReplica(ReplicaDescriptor a, ReplicaDescriptor b) {
        return a.getNodeId() == b.getNodeId() && a.getStoreId() == b.getStoreId()
                && a.getReplicaId() == b.getReplicaId();
    }

    /**
     * The state of {@code lease} at {@code now} as seen by node {@code myNodeId}.
     *
     * @param maxOffset the cluster's max clock offset; the last {@code maxOffset} of the lease is
     *                  {@link LeaseStatus.State#STASIS}
     * @throws IllegalArgumentException if {@code maxOffset} is negative
     */
    public static LeaseStatus status(Lease lease, Timestamp now, Duration maxOffset, long myNodeId) {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(now, "now");
        long offset = nonNegativeNanos(maxOffset, "maxOffset");
        if (isEmpty(lease)) {
            return new LeaseStatus(LeaseStatus.State.NONE, lease, now, false);
        }
        Timestamp expiration = Timestamps.fromProto(lease.getExpiration());
        Timestamp stasis = new Timestamp(Math.max(0, expiration.wallNanos() - offset), expiration.logical());
        LeaseStatus.State state;
        if (now.less(stasis)) {
            state = LeaseStatus.State.VALID;
        } else if (now.less(expiration)) {
            state = LeaseStatus.State.STASIS;
        } else {
            state = LeaseStatus.State.EXPIRED;
        }
        return new LeaseStatus(state, lease, now, lease.getReplica().getNodeId() == myNodeId);
    }

    /**
     * The lease replica {@code me} asks for at {@code now}, given the {@code current} lease as it
     * knows it (propose it with {@code current} as the previous lease).
     * <ul>
     *   <li><b>Extension</b> — {@code me} holds {@code current} and it has not expired at
     *       {@code now}: same sequence, same start, same term, expiration moved to
     *       {@code now + duration} (never earlier than it was, so the extension is never refused
     *       as a shortening).</li>
     *   <li><b>New lease</b> — anyone else, or {@code me} after its own lease expired:
     *       sequence + 1, start = max(now, current expiration) so that the new lease never
     *       overlaps the current one, expiration = start + duration, term = {@code raftTerm}.
     *       Renewing an expired lease as a new one bumps the sequence, so commands evaluated
     *       before the gap are refused at apply time rather than trusted across it.</li>
     * </ul>
     *
     * @throws IllegalArgumentException if {@code me} has no node or replica id, {@code duration}
     *                                  is not positive, {@code raftTerm} is negative, or the
     *                                  expiration would overflow
     */
    public static Lease request(Lease current, ReplicaDescriptor me, Timestamp now, Duration duration, long raftTerm) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(now, "now");
        checkReplica(me, "me");
        long nanos = positiveNanos(duration);
        if (raftTerm < 0) {
            throw new IllegalArgumentException("raft term must not be negative: " + raftTerm);
        }
        Timestamp currentExpiration = Timestamps.fromProto(current.getExpiration());
        if (!isEmpty(current) && sameReplica(current.getReplica(), me) && now.less(currentExpiration)) {
            Timestamp expiration = plus(now, nanos).forward(currentExpiration);
            return current.toBuilder().setExpiration(Timestamps.toProto(expiration)).build();
        }
        Timestamp start = now.forward(currentExpiration);
        return newLease(me, start, plus(start, nanos), current.getSequence() + 1, raftTerm);
    }

    /**
     * The lease the holder of {@code current} proposes to hand to {@code target} at {@code now}
     * (propose it with {@code current} as the previous lease): sequence + 1, start = max(now,
     * current start), expiration = start + duration, the current term kept for diagnostics.
     *
     * <p>The caller, which must be the current holder, guarantees that from the moment it
     * proposes it serves nothing at or above {@code now} under {@code current}; that promise is
     * what lets the new lease start before the current one expires. The start is never before
     * the current start, which may lie in the future when the current lease was requested while
     * its predecessor was still running.
     *
     * @throws IllegalArgumentException if {@code current} is empty, {@code target} is its holder
     *                                  or has no node or replica id, {@code duration} is not
     *                                  positive, or the expiration would overflow
     */
    public static Lease transfer(Lease current, ReplicaDescriptor target, Timestamp now, Duration duration) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(now, "now");
        checkReplica(target, "target");
        long nanos = positiveNanos(duration);
        if (isEmpty(current)) {
            throw new IllegalArgumentException("there is no lease to transfer");
        }
        if (sameReplica(current.getReplica(), target)) {
            throw new IllegalArgumentException("target already holds the lease; extend it with request()");
        }
        Timestamp start = now.forward(Timestamps.fromProto(current.getStart()));
        return newLease(target, start, plus(start, nanos), current.getSequence() + 1, current.getProposedTerm());
    }

    /**
     * Whether a proposed lease becomes the lease when its command applies. Every replica calls
     * this with the same arguments (the applied lease, and the command's previous lease, new
     * lease and proposer node) and so takes the same decision. Checked in this order:
     * <ol>
     *   <li>{@code proposed} has a holder (node and replica id) and a positive sequence, else
     *       {@code MALFORMED}; its expiration is after its start, else {@code EMPTY_INTERVAL}.</li>
     *   <li>{@code prevSeenByProposer} equals {@code current} exactly, else
     *       {@code PREVIOUS_LEASE_CHANGED}: the proposer decided on stale information.</li>
     *   <li><b>Extension</b> (same holder, same sequence as a non-empty {@code current}): the
     *       start is unchanged, else {@code START_CHANGED}, and the expiration does not move
     *       earlier, else {@code SHORTENED}.</li>
     *   <li>Otherwise it is a <b>new lease</b>: its sequence is current + 1, else
     *       {@code SEQUENCE_MISMATCH}; and it starts at or after the current expiration, or else
     *       it is a <b>transfer</b>, or it is refused with {@code OVERLAPS_CURRENT}.</li>
     * </ol>
     *
     * <p><b>The transfer rule.</b> A new lease may start before the current one expires only if
     * {@code proposerNodeId} (the command's {@code proposer_node_id}) is the current holder's
     * node and the new start is not before the current start. Only the holder can promise to
     * stop serving the current lease at the new start ({@link #transfer}'s contract), so only
     * its proposal may cut the current lease short; and because {@code prevSeenByProposer}
     * equals {@code current}, the lease it cut is exactly the one it saw, not a later
     * extension. The start bound keeps the new lease clear of the holder's predecessor, which
     * ended at or before the current start.
     *
     * @param current            the lease in the replicated range state now
     * @param prevSeenByProposer the lease the proposer based its proposal on
     * @param proposed           the proposed lease
     * @param proposerNodeId     the node that proposed the command
     */
    public static LeaseApplyOutcome checkApply(Lease current, Lease prevSeenByProposer, Lease proposed,
                                               long proposerNodeId) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(prevSeenByProposer, "prevSeenByProposer");
        Objects.requireNonNull(proposed, "proposed");
        if (proposed.getSequence() <= 0 || proposed.getReplica().getNodeId() <= 0
                || proposed.getReplica().getReplicaId() <= 0) {
            return LeaseApplyOutcome.refused(Code.MALFORMED, "a lease needs a holder and a positive sequence: " + proposed);
        }
        Timestamp start;
        Timestamp expiration;
        try {
            start = Timestamps.fromProto(proposed.getStart());
            expiration = Timestamps.fromProto(proposed.getExpiration());
        } catch (IllegalArgumentException e) {
            return LeaseApplyOutcome.refused(Code.MALFORMED, e.getMessage());
        }
        if (!start.less(expiration)) {
            return LeaseApplyOutcome.refused(Code.EMPTY_INTERVAL, "expiration " + expiration + " <= start " + start);
        }
        if (!prevSeenByProposer.equals(current)) {
            return LeaseApplyOutcome.refused(Code.PREVIOUS_LEASE_CHANGED,
                    "proposed on sequence " + prevSeenByProposer.getSequence() + ", lease is now " + current.getSequence());
        }
        Timestamp currentStart = Timestamps.fromProto(current.getStart());
        Timestamp currentExpiration = Timestamps.fromProto(current.getExpiration());
        if (!isEmpty(current) && proposed.getSequence() == current.getSequence()
                && sameReplica(proposed.getReplica(), current.getReplica())) {
            return checkExtension(currentStart, currentExpiration, start, expiration);
        }
        if (proposed.getSequence() != current.getSequence() + 1) {
            return LeaseApplyOutcome.refused(Code.SEQUENCE_MISMATCH,
                    "new lease sequence " + proposed.getSequence() + " after " + current.getSequence());
        }
        if (isEmpty(current) || !start.less(currentExpiration)) {
            return LeaseApplyOutcome.ACCEPTED;
        }
        if (proposerNodeId == current.getReplica().getNodeId() && !start.less(currentStart)) {
            return LeaseApplyOutcome.ACCEPTED;
        }
        return LeaseApplyOutcome.refused(Code.OVERLAPS_CURRENT, "start " + start + " before current expiration "
                + currentExpiration + " and not a transfer by holder node " + current.getReplica().getNodeId()
                + " (proposer " + proposerNodeId + ")");
    }

    private static LeaseApplyOutcome checkExtension(Timestamp currentStart, Timestamp currentExpiration,
                                                    Timestamp start, Timestamp expiration) {
        if (!start.equals(currentStart)) {
            return LeaseApplyOutcome.refused(Code.START_CHANGED, "extension moves start " + currentStart + " to " + start);
        }
        if (expiration.less(currentExpiration)) {
            return LeaseApplyOutcome.refused(Code.SHORTENED,
                    "extension moves expiration " + currentExpiration + " back to " + expiration);
        }
        return LeaseApplyOutcome.ACCEPTED;
    }

    private static Lease newLease(ReplicaDescriptor holder, Timestamp start, Timestamp expiration, long sequence,
                                  long term) {
        return Lease.newBuilder()
                .setReplica(holder)
                .setStart(Timestamps.toProto(start))
                .setExpiration(Timestamps.toProto(expiration))
                .setSequence(sequence)
                .setProposedTerm(term)
                .build();
    }

    private static Timestamp plus(Timestamp ts, long nanos) {
        try {
            return new Timestamp(Math.addExact(ts.wallNanos(), nanos), ts.logical());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("lease expiration overflows: " + ts + " + " + nanos + "ns", e);
        }
    }

    private static void checkReplica(ReplicaDescriptor r, String what) {
        Objects.requireNonNull(r, what);
        if (r.getNodeId() <= 0 || r.getReplicaId() <= 0) {
            throw new IllegalArgumentException(what + " needs a node id and a replica id: " + r);
        }
    }

    private static long positiveNanos(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("lease duration must be positive: " + d);
        }
        return toNanos(d, "duration");
    }

    private static long nonNegativeNanos(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
        return toNanos(d, what);
    }

    private static long toNanos(Duration d, String what) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " does not fit in nanoseconds: " + d, e);
        }
    }
}
