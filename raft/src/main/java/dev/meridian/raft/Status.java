package dev.meridian.raft;

import java.util.SortedMap;

/**
 * A snapshot of a node's state for monitoring and for the lease logic of the layer above.
 *
 * @param ticks             ticks since this node started: the time base of the fields below
 * @param quorumContactTick leader only (else 0): the latest tick T such that a quorum of
 *                          voters heard from this leader (in its term) at or after T: each
 *                          answered a heartbeat sent at T or later. With check-quorum on, such
 *                          a follower ignores other candidates for an election timeout after
 *                          hearing from us, so no other leader can be elected before
 *                          T + electionTicks of the followers' ticks. HAZARD: a lease built on
 *                          it must allow for tick rates differing between nodes (clock drift).
 * @param progress          leader only (else empty): per member, in id order
 */
public record Status(long id, HardState hardState, SoftState softState, long applied, long ticks,
                     long quorumContactTick, long leadTransferee, ConfState config,
                     SortedMap<Long, ProgressStatus> progress) {
}
