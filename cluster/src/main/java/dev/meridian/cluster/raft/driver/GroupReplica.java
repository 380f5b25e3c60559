package dev.meridian.cluster.raft.driver;

import dev.meridian.cluster.raft.GroupMessage;
import dev.meridian.cluster.raft.storage.EngineRaftLogStorage;
import dev.meridian.raft.ConfChange;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One replica of one group on this node: its Raft node, log storage, state machine, mailbox and
 * the proposals it waits for. Fields below "worker-owned" are touched only by the worker that
 * currently holds the group (the ready queue hands it over, which orders the accesses); the
 * mailbox and the flags are the thread-safe doorway for everybody else.
 */
final class GroupReplica {

    final long groupId;
    final long replicaId;
    /** Replica id to hosting node id, for routing. Immutable: membership changes are not supported yet. */
    final Map<Long, Long> nodeOfReplica;
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
    private int idleTicks;
    private Ready ready;

    GroupReplica(long groupId, long replicaId, Map<Long, Long> nodeOfReplica, RawNode node, EngineRaftLogStorage storage,
                 StateMachine stateMachine, long applied, RaftMetrics metrics, DriverConfig config) {
        this.groupId = groupId;
        this.replicaId = replicaId;
        this.nodeOfReplica = nodeOfReplica;
        this.node = node;
        this.storage = storage;
        this.stateMachine = stateMachine;
        this.applied = applied;
        this.metrics = metrics;
        this.config = config;
    }

    /** Carries out every queued event; quiesce-induced messages go straight to {@code outbox}. */
    void drainMailbox(Outbox outbox) {
        GroupEvent ev;
        while ((ev = mailbox.poll()) != null) {
            // A proposal on a replica that is not the leader fails at once; waking it would only
            // start its election timer against a leader that is alive but quiet.
            if (ev.wakes() && !(ev instanceof GroupEvent.Propose && role != Role.LEADER)) {
                wake();
            }
            handle(ev, outbox);
        }
    }

    private void handle(GroupEvent ev, Outbox outbox) {
        switch (ev) {
            case GroupEvent.Step s -> step(s.message());
            case GroupEvent.Propose p -> propose(p);
            case GroupEvent.Tick t -> tick(outbox);
            case GroupEvent.Campaign c -> node.campaign();
            case GroupEvent.Wake w -> idleTicks = 0;
            case GroupEvent.Unreachable u -> node.reportUnreachable(u.replicaId());
            case GroupEvent.SnapshotStatus s -> node.reportSnapshot(s.replicaId(), s.delivered());
            case GroupEvent.Query q -> q.done().complete(status());
        }
    }

    private void step(Message m) {
        if (m.to() != replicaId || m.type().isLocal()) {
            // A misaddressed or forged message must not reach RawNode, which treats it as a bug
            // (and would stop the whole driver).
            metrics.messagesUnroutable.add(1);
            return;
        }
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
        byte[] data = ByteBuffer.allocate(8 + p.command().length).putLong(p.proposalId()).put(p.command()).array();
        ProposalOutcome outcome = node.propose(data);
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
        long hint = leaderReplica == 0 ? 0 : nodeOfReplica.getOrDefault(leaderReplica, 0L);
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
            route(m, outbox);
        }
    }

    private void route(Message m, Outbox outbox) {
        Long node = nodeOfReplica.get(m.to());
        if (node == null) {
            // A replica outside the routing table: membership changes are not wired yet.
            metrics.messagesUnroutable.add(1);
            return;
        }
        metrics.sent(m.type());
        outbox.add(node, new GroupMessage(groupId, m), this);
    }

    /** Applies the staged Ready (after its messages left) and advances the node. */
    void applyAndAdvance(Engine engine) {
        Ready rd = ready;
        ready = null;
        if (rd.softState() != null) {
            onSoftState(rd.softState().lead(), rd.softState().role());
        }
        if (!rd.snapshot().isEmpty()) {
            stateMachine.restore(rd.snapshot().index(), rd.snapshot().data());
            applied = rd.snapshot().index();
            metrics.snapshotsApplied.add(1);
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
        if (e.type() == EntryType.CONF_CHANGE) {
            node.applyConfChange(ConfChange.decode(e.data()));
            return;
        }
        if (e.data().length == 0) {
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
        CompletableFuture<Long> done = pending.remove(proposalId);
        if (done != null) {
            done.complete(e.index());
        }
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
            if (ev instanceof GroupEvent.Propose p) {
                p.done().completeExceptionally(new ProposalException(ProposalException.Reason.DRIVER_CLOSED, groupId, 0, null));
            } else if (ev instanceof GroupEvent.Query q) {
                q.done().completeExceptionally(new IllegalStateException("driver closed"));
            }
        }
    }

    /** Whether the group needs another turn right now. */
    boolean hasWork() {
        return !mailbox.isEmpty() || node.hasReady();
    }

    private long leaderNodeId() {
        return lead == 0 ? 0 : nodeOfReplica.getOrDefault(lead, 0L);
    }

    private GroupStatus status() {
        Status st = node.status();
        return new GroupStatus(groupId, replicaId, st.softState().role(), st.softState().lead(),
                nodeOfReplica.getOrDefault(st.softState().lead(), 0L), st.hardState().term(), st.hardState().commit(),
                applied, storage.firstIndex(), storage.lastIndex(), st.ticks(), quiesced);
    }
}
