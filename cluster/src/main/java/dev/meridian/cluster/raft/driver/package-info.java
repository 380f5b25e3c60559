/**
 * The MultiRaft driver: runs the Raft groups of one node (one store, one engine) on a small
 * fixed pool of worker threads, and is the only code that persists, sends and applies for the
 * pure {@link dev.meridian.raft.RawNode}s.
 *
 * <h2>How work flows</h2>
 * Anything that concerns a group (a message from the transport, a proposal, a tick, a status
 * query) is an event in the group's mailbox; queuing one puts the group on the driver's ready
 * queue unless it is there already ({@code GroupReplica.scheduled}). A worker takes a handful of
 * groups off the queue (a <em>round</em>) and for each: drains the mailbox into the Raft node,
 * then takes its Ready. Groups without work are never visited.
 *
 * <h2>Invariants, and where they are relied on</h2>
 * <ul>
 *   <li><b>One owner.</b> A group is held by at most one worker at a time: the scheduled flag is
 *       set while it is queued or being processed. RawNode and the log storage are not
 *       thread-safe and rely on this; other threads only touch the mailbox and flags.</li>
 *   <li><b>Persist before send.</b> In a round, every Ready's entries, hard state and snapshot
 *       go into one write batch, written once, synced if any Ready asks for it
 *       ({@code mustSync}); only after that write returns are the round's messages handed to
 *       the outbox. A vote or an acknowledgement never outruns the disk (the raft package's
 *       election-safety and durability arguments rest on it).</li>
 *   <li><b>One fsync per round.</b> The appends of all groups in a round share that one synced
 *       write: this is the group commit the throughput relies on.</li>
 *   <li><b>Apply after persist.</b> Committed entries and received snapshots are applied after
 *       the write (and after sending, which only lowers latency), then the node is advanced.
 *       {@code EngineRaftLogStorage}'s staged caches are sound only because advance follows
 *       the write.</li>
 *   <li><b>Batched per node.</b> A round's messages leave as one batch per destination node,
 *       so the heartbeats of all groups between two nodes travel together.</li>
 *   <li><b>Proposals</b> carry an 8-byte id ahead of the command; the proposing replica
 *       completes the caller's future when it applies the entry with that id. Ids start at a
 *       random value per driver incarnation, so an old entry re-applied after a restart does
 *       not complete a new proposal. A proposal that was appended, or forwarded, and whose
 *       leader then stepped down fails as {@code AMBIGUOUS}: it may still apply.</li>
 * </ul>
 *
 * <h2>Quiescence</h2>
 * Ticks come from one ticker thread, which skips quiesced groups. A leader goes quiet after
 * {@code quiesceAfterTicks} idle ticks when everything is committed, applied and held by every
 * member, and no proposal waits ({@code QuiesceProtocol}); it sends each member a heartbeat
 * marked "quiesce", which the member steps as an ordinary heartbeat (its election timer
 * restarts) before it stops ticking too, but only if the heartbeat comes from the leader it
 * follows in its current term. A follower never goes quiet on its own. Any proposal to the
 * leader, any message other than a heartbeat response, a campaign or {@code wake} ends
 * quiescence. The leader's first act on waking (an append, or the heartbeat of its next tick)
 * reaches every follower and wakes it, so followers are never expected to act while quiet. A
 * woken follower whose leader is still quiet may start a pre-vote; the leader and the still
 * quiet followers refuse it (check-quorum lease; their election clocks did not move), and the
 * pre-vote message itself wakes the leader.
 *
 * <h2>HAZARD notes</h2>
 * <ul>
 *   <li><b>A dead quiesced leader is not noticed</b> by its quiet followers: they do not tick,
 *       so they never time out. Only a new proposal, a message, or {@code wake(groupId)} (from
 *       the node-liveness layer once it declares the leader's node dead) starts an election.
 *       Until that layer exists, a quiesced group whose leader's node dies stays leaderless
 *       until something wakes it.</li>
 *   <li>Leases based on {@code Status.quorumContactTick} must account for quiescence: a quiet
 *       leader's tick count stands still.</li>
 *   <li>A proposal to a follower fails with {@code NOT_LEADER} (a hint names the leader's
 *       node) and does not wake the follower: waking it would start its election timer
 *       against a leader that is alive but quiet.</li>
 *   <li>A failed engine write stops the driver ({@link
 *       dev.meridian.cluster.raft.driver.MultiRaftDriver#failure()}): the storage caches may
 *       be ahead of the disk and nothing may be sent on their basis.</li>
 *   <li>Under overload a group has at most one tick queued; extra ticks are dropped, which
 *       only slows its timers.</li>
 *   <li>Log compaction snapshots the state machine at the applied index and discards up to it
 *       without regard to followers' progress; a follower behind that point gets a snapshot.
 *       Snapshots are held whole in memory and in one engine value (fine for tests, not for
 *       range-sized state).</li>
 *   <li>Membership changes are applied to Raft but the replica-to-node routing table is fixed
 *       at load; messages to replicas outside it are counted and dropped. Messages for groups
 *       not hosted here are counted and dropped (replica creation on first message belongs to
 *       the replicated-ranges layer).</li>
 * </ul>
 */
package dev.meridian.cluster.raft.driver;
