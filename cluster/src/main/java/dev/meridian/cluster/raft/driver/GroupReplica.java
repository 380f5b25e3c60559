package dev.meridian.cluster.raft.driver;

import dev.meridian.cluster.raft.GroupMessage;
import dev.meridian.cluster.raft.storage.EngineRaftLogStorage;
import dev.meridian.raft.ConfChange;
import dev.meridian.raft.ConfState;
import dev.meridian.raft.Entry;
import dev.meridian.raft.EntryType;
import dev.meridian.raft.Message;
import dev.meridian.raft.MessageType;
import dev.meridian.raft.ProposalOutcome;
import dev.meridian.raft.RawNode;
import dev.meridian.raft.Ready;
import dev.meridian.raft.Role;
import dev.meridian.raft.SoftState;
import dev.meridian.raft.Status;
import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.WriteBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One replica of one group on this node: its Raft node, log storage, state machine, mailbox and
 * the proposals it waits for. Fields below "worker-owned" are touched only by the worker that
 * currently holds the group (the ready queue hands it over, which orders the accesses); the
 * mailbox and the flags are the thread-safe doorway for everybody else.
 */
final class GroupReplica {

    final long groupId;
    final long replicaId;
    /** Replica id to hosting node id; written by the holding worker, read by anyone. */
    final ReplicaRoutes routes;
    final Queue<GroupEvent> mailbox = new ConcurrentLinkedQueue<>();
    /** Set while the group is in the ready queue or being processed: at most one worker holds it. */
    final AtomicBoolean scheduled = new AtomicBoolean();
    /** Set while a tick is queued, so a slow group gets one pending tick, not a pile. */
    final AtomicBoolean tickQueued = new AtomicBoolean();
    volatile boolean quiesced;

    private final RawNode node;
    private final EngineRaftLogStorage storage;
    private final StateMachine stateMachine;
    private final RaftMetrics metrics;
    private final DriverConfig config;

    // worker-owned
    private final Map<Long, CompletableFuture<Long>> pending = new HashMap<>();
    private long lead;
    private Role role = Role.FOLLOWER;
    private long applied;
    /** Entries up to here were in the state machine at load: replayed into Raft only (conf changes). */
    private final long stateMachineAppliedAtLoad;
    private int idleTicks;
    private Ready ready;
    /** The last log index durable before the staged Ready's entries were added. */
    private long durableLastIndex;
    private boolean appliedEarly;
    /** The staged records of a replica created on demand; written (synced) before its first turn. */
    private WriteBatch creation;
    /** Set by a {@link GroupEvent.Remove}: no more Raft work; the driver deletes the log. */
    private boolean removed;
    private boolean logDeleted;
    private final List<CompletableFuture<Void>> removals = new ArrayList<>();

    GroupReplica(long groupId, long replicaId, Map<Long, Long> nodeOfReplica, RawNode node, EngineRaftLogStorage storage,
                 StateMachine stateMachine, long applied, long stateMachineAppliedAtLoad, RaftMetrics metrics,
                 DriverConfig config, WriteBatch creation) {
        this.groupId = groupId;
        this.replicaId = replicaId;
        this.routes = new ReplicaRoutes(nodeOfReplica);
        this.creation = creation;
        this.node = node;
        this.storage = storage;
        this.stateMachine = stateMachine;
        this.applied = applied;
        this.stateMachineAppliedAtLoad = stateMachineAppliedAtLoad;
        this.metrics = metrics;
        this.config = config;
    }

    /**
     * Writes, synced, the records of a replica created on demand, before it takes any Ready:
     * its first answer (possibly a vote) must not leave before the replica exists on disk.
     */
    void persistCreation(Engine engine) {
        if (creation == null) {
            return;
        }
        try (WriteBatch b = creation) {
            creation = null;
            engine.write(b, Durability.SYNCED);
        }
    }

    /** Carries out every queued event; quiesce-induced messages go straight to {@code outbox}. */
    void drainMailbox(Outbox outbox) {
        GroupEvent ev;
        while ((ev = mailbox.poll()) != null) {
            if (removed) {
                refuseRemoved(ev);
                continue;
            }
            // A proposal on a replica that is not the leader fails at once; waking it would only
            // start its election timer against a leader that is alive but quiet.
            if (ev.wakes() && !(ev instanceof GroupEvent.Proposal && role != Role.LEADER)) {
                wake();
            }
            handle(ev, outbox);
        }
    }

    private void handle(GroupEvent ev, Outbox outbox) {
        switch (ev) {
            case GroupEvent.Step s -> step(s.message(), s.fromNode());
            case GroupEvent.Propose p -> propose(p);
            case GroupEvent.ProposeConfChange p -> proposeConfChange(p);
            case GroupEvent.TransferLeadership t -> node.transferLeadership(t.targetReplicaId());
            case GroupEvent.Remove r -> remove(r);
            case GroupEvent.Tick t -> tick(outbox);
            case GroupEvent.Campaign c -> node.campaign();
            case GroupEvent.Wake w -> idleTicks = 0;
            case GroupEvent.Unreachable u -> node.reportUnreachable(u.replicaId());
            case GroupEvent.SnapshotStatus s -> node.reportSnapshot(s.replicaId(), s.delivered());
            case GroupEvent.Query q -> q.done().complete(status());
        }
    }

    private void step(Message m, long fromNode) {
        if (m.to() != replicaId || m.type().isLocal()) {
            // A misaddressed or forged message must not reach RawNode, which treats it as a bug
            // (and would stop the whole driver).
            metrics.messagesUnroutable.add(1);
            return;
        }
        if ((m.type() == MessageType.VOTE || m.type() == MessageType.PRE_VOTE) && storage.lastIndex() == 0
                && storage.snapshot().metadata().confState().voters().isEmpty()) {
            // Uninitialized (created on demand: no log, no membership): it cannot judge a
            // candidate's log and must not vote, so that it can be replaced without carrying a
            // vote along.
            metrics.messagesUnroutable.add(1);
            return;
        }
        // Learned before stepping, so the answer this message causes can be routed back.
        routes.learn(m.from(), fromNode);
        metrics.received(m.type());
        if (m.type() != MessageType.HEARTBEAT && m.type() != MessageType.HEARTBEAT_RESP) {
            idleTicks = 0;
        }
        if (QuiesceProtocol.isQuiesceRequest(m)) {
            node.step(QuiesceProtocol.stripped(m));
            if (QuiesceProtocol.followerMayQuiesce(node.status(), m)) {
                quiesce();
            }
            return;
        }
        node.step(m);
    }

    private void propose(GroupEvent.Propose p) {
        byte[] data = ByteBuffer.allocate(8 + p.command().length).putLong(p.proposalId()).put(p.command()).array();
        submit(p, () -> node.propose(data));
    }

    /**
     * The proposal id travels ahead of the caller's context inside the change's context (RawNode
     * encodes the entry itself, so the entry data cannot carry it as for commands); the apply
     * strips it again. The leader's own leave-joint changes have an empty context and no id.
     */
    private void proposeConfChange(GroupEvent.ProposeConfChange p) {
        metrics.confChangesProposed.add(1);
        byte[] context = ByteBuffer.allocate(8 + p.context().length).putLong(p.proposalId()).put(p.context()).array();
        submit(p, () -> node.proposeConfChange(p.change().withContext(context)));
    }

    private void submit(GroupEvent.Proposal p, Supplier<ProposalOutcome> append) {
        metrics.proposals.add(1);
        idleTicks = 0;
        if (role != Role.LEADER) {
            // The tracked role lags while a Ready is out (it follows softState on apply); ask
            // the node itself before refusing, so a proposal right after winning is not lost.
            SoftState now = node.status().softState();
            if (now.role() != Role.LEADER) {
                fail(p.done(), ProposalException.Reason.NOT_LEADER, now.lead(), "replica " + replicaId + " is " + now.role().display());
                return;
            }
        }
        ProposalOutcome outcome = append.get();
        switch (outcome) {
            case APPENDED -> pending.put(p.proposalId(), p.done());
            // Forwarded to a leader that may append it: the outcome is unknown, never "not appended".
            case FORWARDED -> fail(p.done(), ProposalException.Reason.AMBIGUOUS, lead, "leadership moved; forwarded");
            case NO_LEADER -> fail(p.done(), ProposalException.Reason.NOT_LEADER, 0, outcome.name());
            default -> fail(p.done(), ProposalException.Reason.REJECTED, lead, outcome.name());
        }
    }

    private void fail(CompletableFuture<Long> done, ProposalException.Reason reason, long leaderReplica, String detail) {
        metrics.proposalsDropped.add(1);
        long hint = leaderReplica == 0 ? 0 : routes.nodeOf(leaderReplica);
        done.completeExceptionally(new ProposalException(reason, groupId, hint, detail));
    }

    private void tick(Outbox outbox) {
        tickQueued.set(false);
        if (quiesced) {
            return;
        }
        // Checked before ticking: the Ready of the previous tick (heartbeats) has been handled,
        // so "nothing to do" is meaningful here and the quiesce heartbeats follow it in order.
        if (config.quiesceAfterTicks() > 0 && role == Role.LEADER && ++idleTicks > config.quiesceAfterTicks()
                && pending.isEmpty() && !node.hasReady() && quiesceLeader(outbox)) {
            return;
        }
        node.tick();
        metrics.ticks.add(1);
    }

    private boolean quiesceLeader(Outbox outbox) {
        Status st = node.status();
        if (!QuiesceProtocol.leaderMayQuiesce(st)) {
            return false;
        }
        quiesce();
        for (Message m : QuiesceProtocol.requests(st)) {
            route(m, outbox);
        }
        return true;
    }

    private void quiesce() {
        if (!quiesced) {
            quiesced = true;
            metrics.quiescent.incrementAndGet();
        }
    }

    private void wake() {
        idleTicks = 0;
        if (quiesced) {
            quiesced = false;
            metrics.quiescent.decrementAndGet();
        }
    }

    /** Takes the node's Ready, if any, and stages what it asks to persist into {@code batch}. */
    boolean stage(WriteBatch batch) {
        if (!node.hasReady()) {
            return false;
        }
        ready = node.ready();
        appliedEarly = false;
        durableLastIndex = storage.lastIndex();
        if (!ready.snapshot().isEmpty()) {
            storage.applySnapshot(ready.snapshot(), batch);
        }
        storage.append(ready.entries(), batch);
        if (!ready.hardState().isEmpty()) {
            storage.setHardState(ready.hardState(), batch);
        }
        if (!ready.entries().isEmpty()) {
            metrics.groupAppends.add(1);
            metrics.entriesPersisted.add(ready.entries().size());
        }
        return true;
    }

    boolean readyMustSync() {
        return ready.mustSync();
    }

    int readyEntryCount() {
        return ready.entries().size();
    }

    /** Hands the staged Ready's messages to the outbox. Call only after the batch is durable. */
    void send(Outbox outbox) {
        for (Message m : ready.messages()) {
            if (!mayPrecedePersistence(m)) {
                route(m, outbox);
            }
        }
    }

    /**
     * Hands the staged Ready's leader replication messages (appends, heartbeats, snapshots) to
     * the outbox <em>before</em> the batch is durable, so that the leader's own log write
     * overlaps the followers' (Raft thesis, section 10.2.1). Safe because none of them promises
     * anything about the leader's disk: the leader counts its own entries towards a commit only
     * when it steps a follower's acknowledgement, which happens in a later round of this group,
     * after this round's write completed (a group's rounds never overlap). Votes, acknowledgements
     * and everything else still wait for the write ({@link #send}).
     */
    void sendEarly(Outbox outbox) {
        for (Message m : ready.messages()) {
            if (mayPrecedePersistence(m)) {
                route(m, outbox);
            }
        }
    }

    private static boolean mayPrecedePersistence(Message m) {
        return m.type() == MessageType.APP || m.type() == MessageType.HEARTBEAT || m.type() == MessageType.SNAP;
    }

    private void route(Message m, Outbox outbox) {
        long node = routes.nodeOf(m.to());
        if (node == 0) {
            // Neither listed by the state machine nor heard from: Raft retries once it is known.
            metrics.messagesUnroutable.add(1);
            return;
        }
        metrics.sent(m.type());
        outbox.add(node, new GroupMessage(groupId, m), this);
    }

    /** Applies the staged Ready (after its messages left) and advances the node. */
    /**
     * Applies the staged Ready's committed entries before its batch is written, when that is
     * safe: no snapshot to install, and every committed entry already durable here (written by
     * an earlier round; a committed entry is durable on a quorum by definition). Proposers then
     * hear back without waiting for this round's fsync of newer entries. Returns whether it did.
     */
    boolean applyEarly() {
        Ready rd = ready;
        List<Entry> committed = rd.committedEntries();
        if (!rd.snapshot().isEmpty() || committed.isEmpty()
                || committed.get(committed.size() - 1).index() > durableLastIndex) {
            return false;
        }
        if (rd.softState() != null) {
            onSoftState(rd.softState().lead(), rd.softState().role());
        }
        for (Entry e : committed) {
            applyEntry(e);
        }
        appliedEarly = true;
        metrics.earlyApplies.add(1);
        return true;
    }

    void applyAndAdvance(Engine engine) {
        Ready rd = ready;
        ready = null;
        if (appliedEarly) {
            appliedEarly = false;
            node.advance(rd);
            maybeCompact(engine);
            return;
        }
        if (rd.softState() != null) {
            onSoftState(rd.softState().lead(), rd.softState().role());
        }
        if (!rd.snapshot().isEmpty()) {
            stateMachine.restore(rd.snapshot().index(), rd.snapshot().data());
            applied = rd.snapshot().index();
            metrics.snapshotsApplied.add(1);
            refreshRoutes(rd.snapshot().metadata().confState());
        }
        for (Entry e : rd.committedEntries()) {
            applyEntry(e);
        }
        node.advance(rd);
        maybeCompact(engine);
    }

    private void onSoftState(long newLead, Role newRole) {
        if (newLead != lead) {
            metrics.leaderChanges.add(1);
        }
        if (role == Role.LEADER && newRole != Role.LEADER) {
            failPending(ProposalException.Reason.AMBIGUOUS, "leadership lost after appending");
        }
        lead = newLead;
        role = newRole;
    }

    private void applyEntry(Entry e) {
        applied = e.index();
        boolean inStateMachine = e.index() <= stateMachineAppliedAtLoad;
        if (e.type() == EntryType.CONF_CHANGE) {
            applyConfChange(e, inStateMachine);
            return;
        }
        if (e.data().length == 0 || inStateMachine) {
            return;
        }
        if (e.data().length < 8) {
            throw new IllegalStateException("group " + groupId + " entry " + e.index() + " lacks a proposal id");
        }
        ByteBuffer b = ByteBuffer.wrap(e.data());
        long proposalId = b.getLong();
        byte[] command = new byte[b.remaining()];
        b.get(command);
        stateMachine.apply(e.index(), command);
        metrics.applied.add(1);
        completeProposal(proposalId, e.index());
    }

    /**
     * Raft first, then the state machine (with the caller's context), then routing. A change the
     * state machine applied before a restart only rebuilds Raft's membership.
     */
    private void applyConfChange(Entry e, boolean inStateMachine) {
        ConfChange cc = ConfChange.decode(e.data());
        ConfState cs = node.applyConfChange(cc);
        if (inStateMachine) {
            return;
        }
        byte[] context = cc.context();
        if (context.length > 0 && context.length < 8) {
            throw new IllegalStateException("group " + groupId + " conf change " + e.index() + " lacks a proposal id");
        }
        byte[] callerContext = context.length == 0 ? context : Arrays.copyOfRange(context, 8, context.length);
        stateMachine.applyConfChange(e.index(), callerContext);
        metrics.confChangesApplied.add(1);
        refreshRoutes(cs);
        if (context.length > 0) {
            completeProposal(ByteBuffer.wrap(context).getLong(), e.index());
        }
    }

    private void completeProposal(long proposalId, long index) {
        CompletableFuture<Long> done = pending.remove(proposalId);
        if (done != null) {
            done.complete(index);
        }
    }

    /** Takes the state machine's view of the members, if it has one. */
    private void refreshRoutes(ConfState membership) {
        List<Peer> peers = stateMachine.peers();
        if (peers != null) {
            routes.refresh(peers, membership::contains);
        }
    }

    private void remove(GroupEvent.Remove r) {
        wake();
        removed = true;
        removals.add(r.done());
        failPending(ProposalException.Reason.DRIVER_CLOSED, "group removed");
    }

    /** What a removed group does with events that reach it before it leaves the driver's table. */
    private void refuseRemoved(GroupEvent ev) {
        switch (ev) {
            case GroupEvent.Proposal p -> p.done().completeExceptionally(
                    new ProposalException(ProposalException.Reason.DRIVER_CLOSED, groupId, 0, "group removed"));
            case GroupEvent.Query q -> q.done().completeExceptionally(
                    new IllegalArgumentException("group " + groupId + " was removed"));
            case GroupEvent.Remove r -> removals.add(r.done());
            default -> {
            }
        }
    }

    boolean isRemoved() {
        return removed;
    }

    /**
     * Deletes the group's log and hard state in one synced write, the first time it is called
     * (returns true then). Worker only, once {@link #isRemoved()}.
     */
    boolean deleteLog(Engine engine) {
        if (logDeleted) {
            return false;
        }
        if (creation != null) {
            creation.close();
            creation = null;
        }
        try (WriteBatch batch = engine.newWriteBatch()) {
            storage.destroy(batch);
            engine.write(batch, Durability.SYNCED);
        }
        logDeleted = true;
        return true;
    }

    /** Completes every waiting {@code removeGroup} future; after {@link #deleteLog}. */
    void finishRemovals() {
        removals.forEach(done -> done.complete(null));
        removals.clear();
    }

    /**
     * Snapshots the state machine and discards the applied prefix once it is longer than the
     * threshold. Not synced: losing it in a crash only leaves a longer log. HAZARD: compacting
     * up to the applied index sends a follower that is further behind a snapshot; a smarter
     * policy would keep what followers still need.
     */
    private void maybeCompact(Engine engine) {
        long threshold = config.compactionThreshold();
        if (threshold == 0 || applied - storage.firstIndex() + 1 <= threshold) {
            return;
        }
        try (WriteBatch batch = engine.newWriteBatch()) {
            storage.createSnapshot(applied, node.status().config(), stateMachine.snapshot(), batch);
            storage.compact(applied, batch);
            engine.write(batch, Durability.UNSYNCED);
        }
        metrics.compactions.add(1);
    }

    /** Fails every proposal still waiting; when the driver closes or leadership is lost. */
    void failPending(ProposalException.Reason reason, String detail) {
        for (CompletableFuture<Long> done : pending.values()) {
            done.completeExceptionally(new ProposalException(reason, groupId, leaderNodeId(), detail));
        }
        pending.clear();
    }

    /** Fails the proposals still in the mailbox (the driver is closing; no worker will run). */
    void failQueued() {
        GroupEvent ev;
        while ((ev = mailbox.poll()) != null) {
            switch (ev) {
                case GroupEvent.Proposal p -> p.done().completeExceptionally(
                        new ProposalException(ProposalException.Reason.DRIVER_CLOSED, groupId, 0, null));
                case GroupEvent.Query q -> q.done().completeExceptionally(new IllegalStateException("driver closed"));
                case GroupEvent.Remove r -> r.done().completeExceptionally(new IllegalStateException("driver closed"));
                default -> {
                }
            }
        }
        for (CompletableFuture<Void> done : removals) {
            done.completeExceptionally(new IllegalStateException("driver closed"));
        }
        removals.clear();
        if (creation != null) {
            creation.close();
            creation = null;
        }
    }

    /** Entries in the log now (approximate when read off the worker: for the log-size gauge). */
    long logEntries() {
        return Math.max(0, storage.lastIndex() - storage.firstIndex() + 1);
    }

    /** Whether the group needs another turn right now. */
    boolean hasWork() {
        return !mailbox.isEmpty() || (!removed && node.hasReady());
    }

    private long leaderNodeId() {
        return lead == 0 ? 0 : routes.nodeOf(lead);
    }

    private GroupStatus status() {
        Status st = node.status();
        return new GroupStatus(groupId, replicaId, st.softState().role(), st.softState().lead(),
                routes.nodeOf(st.softState().lead()), st.hardState().term(), st.hardState().commit(),
                applied, storage.firstIndex(), storage.lastIndex(), st.ticks(), quiesced);
    }
}
