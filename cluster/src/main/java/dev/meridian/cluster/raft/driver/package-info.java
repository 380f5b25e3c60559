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
 *       ({@code mustSync}); only after that write returns are the round's votes,
 *       acknowledgements and other messages handed to the outbox. A vote or an
 *       acknowledgement never outruns the disk (the raft package's election-safety and
 *       durability arguments rest on it). The exception: a leader's appends, heartbeats and
 *       snapshots leave before the write ({@code DriverConfig.leaderAppendsInParallel}, Raft
 *       thesis 10.2.1); they promise nothing about the leader's disk, and the leader counts its
 *       own entries towards a commit only when it steps an acknowledgement, in a later round
 *       of the group, after this round's write.</li>
 *   <li><b>One fsync per round.</b> The appends of all groups in a round share that one synced
 *       write: this is the group commit the throughput relies on.</li>
 *   <li><b>Apply after persist.</b> Committed entries and received snapshots are applied after
 *       the write (and after sending, which only lowers latency), then the node is advanced.
 *       {@code EngineRaftLogStorage}'s staged caches are sound only because advance follows
 *       the write. The exception: when every committed entry of a Ready was durable here before
 *       the round (no snapshot involved), they are applied before the write of the round's
 *       newer entries ({@code GroupReplica.applyEarly}); advance still follows the write.</li>
 *   <li><b>Batched per node.</b> A round's messages leave as one batch per destination node,
 *       so the heartbeats of all groups between two nodes travel together.</li>
 *   <li><b>Proposals</b> carry an 8-byte id ahead of the command; the proposing replica
 *       completes the caller's future when it applies the entry with that id. Ids start at a
 *       random value per driver incarnation, so an old entry re-applied after a restart does
 *       not complete a new proposal. A proposal that was appended, or forwarded, and whose
 *       leader then stepped down fails as {@code AMBIGUOUS}: it may still apply.</li>
 * </ul>
 *
 * <h2>Membership, routing and the life of a replica</h2>
 * <ul>
 *   <li><b>Creation.</b> {@code createGroup} writes the new log synced before it returns; with an
 *       initial index and term (ranges: bootstrap and splits) the log starts with a stored
 *       snapshot at that point holding {@code sm.snapshot()} and the peers as voters, and the
 *       hard state starts at that term with the snapshot committed, so the first election is in
 *       a higher term than any entry. A replica added later starts empty (index 0); the leader
 *       finds the entries it needs compacted behind that snapshot and sends the snapshot.</li>
 *   <li><b>Replicas created on demand.</b> A message to a group not hosted here goes to the
 *       {@code GroupFactory} if it is one a leader or candidate starts (append, heartbeat,
 *       snapshot, (pre-)vote, timeout-now; never a response). If the factory returns a state
 *       machine, the driver hosts an uninitialized replica: empty log, empty membership. Raft
 *       does not campaign without being a voter in its configuration ({@code promotable}), so
 *       it stays a follower until a snapshot gives it a configuration. It may vote when asked:
 *       its vote is persisted like any other. Its records are staged on the transport thread
 *       and written synced by its worker before the replica takes its first Ready, so nothing
 *       it says leaves before it exists on disk. Creation runs under the driver's lifecycle lock
 *       together with the check of the group table and of the engine, so two messages for the
 *       same new group create it once, and a log on the engine that is not loaded yet (a
 *       restart in progress) is never overwritten: such messages are dropped.</li>
 *   <li><b>Membership changes.</b> {@code proposeConfChange} carries the proposal id in the
 *       change's context, ahead of the caller's context (RawNode encodes the entry itself, so
 *       the id cannot prefix the entry data as for commands); the apply strips it, so the state
 *       machine sees exactly the caller's context, and the leader's own leave-joint changes
 *       (empty context) complete nothing. On apply the order is: {@code RawNode.applyConfChange},
 *       then {@code StateMachine.applyConfChange(index, context)}, then routing is refreshed.
 *       Raft accepts one pending change at a time: a second one, or one proposed while the
 *       leader's own leave-joint step is pending, fails as {@code REJECTED}; retry it.</li>
 *   <li><b>Routing.</b> Each replica keeps replica id to node id ({@code ReplicaRoutes}),
 *       written only by the worker that holds the group and published as an immutable map, so
 *       {@code unreachable} on transport threads reads a consistent table. Routes are learned
 *       from every message stepped (its sender replica lives on the sending node), before it is
 *       stepped, so the answer finds its way back. After a snapshot is restored and after every
 *       membership change, a non-null {@code StateMachine.peers()} replaces the table; learned
 *       routes of replicas it does not list are kept only while they are members of the Raft
 *       configuration (a member the state machine's list does not show yet), so the table does
 *       not grow beyond the group. A leader can reach a replica it adds only if its state
 *       machine lists it: nothing else says where a new replica lives.</li>
 *   <li><b>Removal.</b> {@code removeGroup} is an event in the group's mailbox: the worker
 *       fails pending and queued proposals ({@code DRIVER_CLOSED}), takes no further Ready,
 *       deletes the log and hard state in one synced write, and only then drops the group from
 *       the table (under the lifecycle lock). The order matters: a replica created again on
 *       demand stages its records after the deletion is durable, never under it.</li>
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
 *   <li><b>Replica ids must never be reused within a group.</b> Routes and votes rest on it: a
 *       learned route, once right, is never wrong, only stale; and a removed replica recreated
 *       on demand under its old id would have forgotten its vote and could vote twice in a term.
 *       The factory must refuse groups (or replica ids) this node removed.</li>
 *   <li>The membership is persisted only with snapshots (see the storage package). So on
 *       {@code loadGroup} Raft starts applied at the log's snapshot, not at the state
 *       machine's applied index, and every committed entry after the snapshot is delivered
 *       again: membership changes go to {@code RawNode.applyConfChange} (rebuilding the
 *       membership), but reach the state machine, like commands, only after its applied index.
 *       HAZARD: skipping that replay (starting Raft at the state machine's index) leaves a
 *       restarted replica with the membership of its last snapshot.</li>
 *   <li>Add replicas only to groups whose log starts at a snapshot with a non-zero index (the
 *       six-argument {@code createGroup}). With the four-argument form the initial membership
 *       is only in the index-0 snapshot, which is never sent: until the leader compacts its log,
 *       a new replica gets entries from index 1 and replays the membership changes on an empty
 *       membership.</li>
 *   <li>An uninitialized replica is ticked like any other but does nothing; it is not
 *       collected if no snapshot ever comes (the range layer's replica GC must remove it).</li>
 * </ul>
 */
package dev.meridian.cluster.raft.driver;
