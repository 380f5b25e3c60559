/**
 * Raft consensus for one group as a pure, deterministic state machine ({@link
 * dev.meridian.raft.RawNode}): no threads, no I/O, no clock, randomness only from the injected
 * generator. The caller persists, sends and applies what each {@link dev.meridian.raft.Ready}
 * asks, in the order RawNode documents.
 *
 * <h2>The safety properties and where each is relied on</h2>
 * <dl>
 *   <dt>Election safety: at most one leader per term.</dt>
 *   <dd>A node grants one vote per term ({@code Raft.handleVoteRequest}), the vote is in the
 *       {@link dev.meridian.raft.HardState} persisted before the answer is sent (Ready contract),
 *       and majorities intersect ({@code quorum}). Pre-votes do not record a vote: they change
 *       nothing, and a real vote follows.</dd>
 *   <dt>Log matching: two logs with an entry of equal index and term are identical up to it.</dt>
 *   <dd>A leader creates at most one entry per index in its term, and a follower appends only
 *       after checking the previous entry's term ({@code RaftLog.maybeAppend}). The leader relies
 *       on it to treat an acknowledgement up to {@code i} as "holds my log up to {@code i}".</dd>
 *   <dt>Leader completeness: a committed entry is in the log of every later leader.</dt>
 *   <dd>Votes go only to candidates whose log is at least as up to date
 *       ({@code RaftLog.isUpToDate}), and a leader commits by counting only entries of its own
 *       term ({@code Leader.maybeCommit}, Figure 8 of the paper). Because of it a new leader
 *       never truncates committed entries, which {@code RaftLog} asserts.</dd>
 *   <dt>State machine safety: no two nodes apply different entries at one index.</dt>
 *   <dd>Follows from the above plus: entries are handed out for applying only up to the commit
 *       index, committed entries are never truncated, and a snapshot is installed only beyond
 *       the commit index. Membership changes take effect when applied, and at most one is
 *       pending at a time; changes of more than one voter go through a joint configuration.</dd>
 * </dl>
 *
 * <h2>HAZARD notes</h2>
 * <ul>
 *   <li>Sending {@code Ready.messages} before persisting the Ready breaks election safety and
 *       durability; the leader even counts its own entries as held on append.</li>
 *   <li>Iteration over members must stay in id order ({@code TreeMap}): message order feeds the
 *       simulator's replay.</li>
 *   <li>{@link dev.meridian.raft.TestingKnobs} exist to break the above on purpose, for the
 *       simulator's checkers; they must stay off in production.</li>
 *   <li>Compacting storage requires a snapshot at or after the compaction index: a follower
 *       that needs compacted entries is sent that snapshot. The driver must report every
 *       snapshot send ({@code RawNode.reportSnapshot}), delivered or not; until then the
 *       leader sends that follower nothing but heartbeats.</li>
 *   <li>A follower installs a leader's snapshot even if the snapshot's membership does not
 *       include it (it was added after the snapshot was taken); it cannot campaign until it
 *       applies its own addition from the entries that follow.</li>
 *   <li>A heartbeat answer frees one slot of a full in-flight window: without it, a window
 *       filled by appends that were all lost would never drain.</li>
 * </ul>
 */
package dev.meridian.raft;
