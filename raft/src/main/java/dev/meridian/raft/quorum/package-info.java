/**
 * Quorum arithmetic: which index a majority holds and whether a vote is won, for simple and
 * joint configurations. Pure functions of their inputs.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Any two majorities of one {@link dev.meridian.raft.quorum.MajorityConfig} intersect.
 *       Election safety (one leader per term) relies on it: a node votes once per term, so two
 *       candidates cannot both collect a majority.</li>
 *   <li>{@code committedIndex} is held by at least a quorum and no larger index is. The commit
 *       rule relies on it; leader completeness follows because any later leader needs votes from
 *       a majority, which intersects the one holding the entry.</li>
 *   <li>A {@link dev.meridian.raft.quorum.JointConfig} decides only with majorities of both
 *       halves, so during a membership change neither the old nor the new configuration can
 *       decide alone (no two disjoint majorities exist across the change).</li>
 * </ul>
 *
 * <p>HAZARD: the empty majority commits {@code Long.MAX_VALUE} and wins every vote. That is what
 * makes a non-joint {@code JointConfig} behave like its incoming half; a caller using a
 * {@code MajorityConfig} alone must not let it be empty.
 */
package dev.meridian.raft.quorum;
