package dev.meridian.raft.sim;

import dev.meridian.raft.ConfChange;
import dev.meridian.raft.ConfState;
import dev.meridian.raft.Entry;
import dev.meridian.raft.EntryType;
import dev.meridian.raft.Message;
import dev.meridian.raft.MessageType;
import dev.meridian.raft.RawNode;
import dev.meridian.raft.Ready;
import dev.meridian.raft.Role;
import dev.meridian.raft.Snapshot;
import dev.meridian.raft.SnapshotMetadata;
import dev.meridian.raft.SoftState;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The simulated world: machines, the network between them, and the checkers watching both.
 * It drives every node by the RawNode contract: a Ready is written to the node's disk at once,
 * its fsync completes at a later simulated instant, and only then are its messages sent (but a
 * leader's appends, heartbeats and snapshots, which leave at write time, as in the driver), its
 * committed entries applied and the node advanced. A crash in between loses the write and the
 * messages still waiting.
 */
final class SimCluster implements AppliedHistoryChecker.LiveStateMachines {

    /** Node ids stay below this bound, joiners included. */
    static final int MAX_NODE_ID = 12;

    final SeedPlan plan;
    final EventQueue queue = new EventQueue();
    final TreeMap<Long, SimNode> nodes = new TreeMap<>();
    final Network network = new Network(MAX_NODE_ID);
    private final SplittableRandom rnd;
    private final PrintWriter trace;
    FaultMix mix;
    /**
     * The group's bootstrap membership, at index 0 of every log. Joiners start from it too: the
     * log holds only changes after it, so a joiner replaying the log from index 1 needs it.
     */
    ConfState initialConf;

    private final ElectionSafetyChecker elections = new ElectionSafetyChecker();
    private final LogMatchingChecker logMatching = new LogMatchingChecker();
    final AppliedHistoryChecker history = new AppliedHistoryChecker(this);
    private final LeaderCompletenessChecker completeness = new LeaderCompletenessChecker(history);
    private Violation violation;

    private long latestConfIndex = -1;
    private final TreeSet<Long> confIndexes = new TreeSet<>();
    private final TreeSet<Long> pendingRemovals = new TreeSet<>();
    long crashes;
    long snapshots;
    /** Set when an entry with this payload is applied anywhere (the liveness probe). */
    byte[] awaitedPayload;
    boolean awaitedApplied;

    SimCluster(SeedPlan plan, SplittableRandom rnd, PrintWriter trace) {
        this.plan = plan;
        this.rnd = rnd;
        this.trace = trace;
        this.mix = plan.mix();
    }

    // ---------------------------------------------------------------- setup

    void startGroup() {
        List<Long> voters = new ArrayList<>();
        for (long id = 1; id <= plan.nodes(); id++) {
            voters.add(id);
        }
        initialConf = ConfState.of(voters, List.of());
        for (long id : voters) {
            addNode(id, initialConf).joined = true;
        }
        latestConfIndex = 0;
    }

    /** Starts a machine from the bootstrap membership. */
    SimNode addNode(long id, ConfState initial) {
        int drift = plan.tickMs() / 10;
        int tickMs = plan.tickMs() - drift + rnd.nextInt(2 * drift + 1);
        SimNode n = new SimNode(id, initial, rnd.split(), tickMs);
        n.raw = new RawNode(plan.config(id), n.disk, n.random);
        nodes.put(id, n);
        queue.after(rnd.nextInt(tickMs) + 1, new SimEvent.Tick(id, n.incarnation));
        log("n%d starts (%s)", id, initial);
        return n;
    }

    // ---------------------------------------------------------------- events

    void handle(SimEvent e) {
        switch (e) {
            case SimEvent.Tick t -> onTick(t);
            case SimEvent.Deliver d -> onDeliver(d);
            case SimEvent.SyncDone s -> onSyncDone(s);
            case SimEvent.SnapshotLost s -> reportSnapshot(s.sender(), s.target(), s.senderIncarnation(), false);
            case SimEvent.Restart r -> restart(nodes.get(r.node()));
            case SimEvent.NemesisRound n -> throw new IllegalStateException("nemesis events are the run's to handle");
            case SimEvent.LeaderFault f -> throw new IllegalStateException("nemesis events are the run's to handle");
        }
    }

    private void onTick(SimEvent.Tick t) {
        SimNode n = nodes.get(t.node());
        if (!n.up() || n.incarnation != t.incarnation()) {
            return;
        }
        n.raw.tick();
        pump(n);
        queue.after(n.tickMs, new SimEvent.Tick(n.id, n.incarnation));
    }

    private void onDeliver(SimEvent.Deliver d) {
        Message m = d.message();
        SimNode target = nodes.get(m.to());
        if (target == null || !target.up() || network.isCut(m.from(), m.to(), queue.now()) || lostInCrash(d)) {
            log("drop %s", m);
            if (d.reportsSnapshot()) {
                reportSnapshot(m.from(), m.to(), d.senderIncarnation(), false);
            }
            return;
        }
        log("recv %s", m);
        target.raw.step(m);
        pump(target);
        if (d.reportsSnapshot()) {
            reportSnapshot(m.from(), m.to(), d.senderIncarnation(), true);
        }
    }

    /**
     * A power loss also loses what sat in the sender's buffers: a message whose sender crashed
     * after sending it arrives only half of the time.
     */
    private boolean lostInCrash(SimEvent.Deliver d) {
        SimNode sender = nodes.get(d.message().from());
        return sender.incarnation != d.senderIncarnation() && sender.life != SimNode.Life.REMOVED && rnd.nextBoolean();
    }

    private void reportSnapshot(long sender, long target, int incarnation, boolean delivered) {
        SimNode s = nodes.get(sender);
        if (s != null && s.up() && s.incarnation == incarnation) {
            s.raw.reportSnapshot(target, delivered);
            pump(s);
        }
    }

    /** Takes the node's next Ready, if any and none is outstanding, and writes it to disk. */
    void pump(SimNode n) {
        if (!n.up() || n.outstanding != null || violation != null || !n.raw.hasReady()) {
            return;
        }
        Ready rd = n.raw.ready();
        n.outstanding = rd;
        boolean wrote = write(n, rd);
        if (rd.softState() != null) {
            onSoftState(n, rd.softState());
        }
        if (n.role == Role.LEADER && n.strikeOnFirstCommit && !rd.hardState().isEmpty()
                && rd.hardState().commit() > n.commitWhenElected) {
            // A leader struck right after its first commit in its term: the appends that
            // would carry its own term to a majority may never arrive (Figure 8's last step).
            n.strikeOnFirstCommit = false;
            queue.after(rnd.nextInt(2 * mix.maxDelayMs() + 1), new SimEvent.LeaderFault(n.id, n.incarnation));
        }
        // As the driver does: a leader's appends, heartbeats and snapshots leave at once, before
        // its own write is durable (Raft thesis 10.2.1); everything else waits for the fsync.
        send(n, rd.messages().stream().filter(SimCluster::mayPrecedeSync).toList());
        long fsync = wrote ? rnd.nextInt(mix.maxSyncMs() + 1) : 0;
        queue.after(fsync, new SimEvent.SyncDone(n.id, n.incarnation));
    }

    static boolean mayPrecedeSync(Message m) {
        return m.type() == MessageType.APP || m.type() == MessageType.HEARTBEAT || m.type() == MessageType.SNAP;
    }

    /** Step 1 of the contract, without the sync: returns whether anything was written. */
    private boolean write(SimNode n, Ready rd) {
        boolean wrote = false;
        if (!rd.snapshot().isEmpty()) {
            n.disk.installSnapshot(rd.snapshot());
            List<Entry> sm = StateMachineCodec.decode(rd.snapshot().data());
            if (!sm.isEmpty()) {
                report(logMatching.onSnapshotEntry(n.id, sm.get(sm.size() - 1)));
            }
            wrote = true;
        }
        if (!rd.hardState().isEmpty()) {
            n.disk.setHardState(rd.hardState());
            wrote = true;
        }
        if (!rd.entries().isEmpty()) {
            n.disk.append(rd.entries());
            LogImage img = n.disk.current();
            for (Entry e : rd.entries()) {
                if (e.index() > img.snapshotIndex()) {
                    report(logMatching.onWrite(n.id, img.termAt(e.index() - 1), e));
                }
            }
            wrote = true;
        }
        return wrote;
    }

    private void onSoftState(SimNode n, SoftState s) {
        n.role = s.role();
        if (s.role() != Role.LEADER) {
            return;
        }
        long term = n.raw.status().hardState().term();
        log("n%d becomes leader of term %d (last index %d)", n.id, term, n.disk.current().lastIndex());
        report(elections.onLeader(term, n.id));
        report(completeness.onLeader(n.id, term, n.disk.current()));
        if (rnd.nextDouble() < mix.leaderFaultRate()) {
            queue.after(rnd.nextInt(4 * mix.maxDelayMs() + 1), new SimEvent.LeaderFault(n.id, n.incarnation));
        }
        n.strikeOnFirstCommit = rnd.nextDouble() < mix.leaderFaultRate();
        n.commitWhenElected = n.raw.status().hardState().commit();
    }

    /** The fsync completed: steps 2-4 of the contract. */
    private void onSyncDone(SimEvent.SyncDone s) {
        SimNode n = nodes.get(s.node());
        if (!n.up() || n.incarnation != s.incarnation() || n.outstanding == null) {
            return;
        }
        Ready rd = n.outstanding;
        if (trace != null) {
            log("n%d synced: %d entries, hard state %s; sends %d messages, applies %d entries", n.id, rd.entries().size(),
                    rd.hardState().isEmpty() ? "unchanged" : rd.hardState(), rd.messages().size(), rd.committedEntries().size());
        }
        n.disk.sync();
        send(n, rd.messages().stream().filter(m -> !mayPrecedeSync(m)).toList());
        applySnapshot(n, rd.snapshot());
        applyEntries(n, rd.committedEntries());
        n.raw.advance(rd);
        n.outstanding = null;
        for (long id : pendingRemovals) {
            stopRemoved(nodes.get(id));
        }
        pendingRemovals.clear();
        pump(n);
    }

    private void send(SimNode from, List<Message> messages) {
        for (Message m : messages) {
            boolean snap = m.type() == MessageType.SNAP;
            if (!nodes.containsKey(m.to()) || rnd.nextDouble() < mix.dropRate()) {
                log("lose %s", m);
                if (snap) {
                    queue.after(1 + rnd.nextInt(mix.maxDelayMs()), new SimEvent.SnapshotLost(from.id, m.to(), from.incarnation));
                }
                continue;
            }
            schedule(m, from.incarnation, snap);
            if (rnd.nextDouble() < mix.duplicateRate()) {
                schedule(m, from.incarnation, false);
            }
        }
    }

    private void schedule(Message m, int incarnation, boolean reportsSnapshot) {
        long delay = 1 + rnd.nextInt(mix.maxDelayMs());
        if (rnd.nextDouble() < mix.longDelayRate()) {
            delay += rnd.nextInt(mix.longDelayMs() + 1);
        }
        long start = Math.max(queue.now(), network.releasedAt(m.from(), m.to()));
        queue.at(start + delay, new SimEvent.Deliver(m, incarnation, reportsSnapshot));
    }

    // ---------------------------------------------------------------- the state machine

    private void applySnapshot(SimNode n, Snapshot snap) {
        if (snap.isEmpty()) {
            return;
        }
        List<Entry> sm = StateMachineCodec.decode(snap.data());
        report(history.onSnapshot(n.id, n.appliedIndex(), sm));
        n.applied.clear();
        n.applied.addAll(sm);
        n.confHistory.clear();
        n.confHistory.put(snap.index(), snap.metadata().confState());
        snapshots++;
        log("n%d installs %s", n.id, snap);
    }

    private void applyEntries(SimNode n, List<Entry> entries) {
        for (Entry e : entries) {
            report(history.onApply(n.id, n.appliedIndex(), e));
            n.applied.add(e);
            if (e.type() == EntryType.CONF_CHANGE) {
                ConfState cs = n.raw.applyConfChange(ConfChange.decode(e.data()));
                n.confHistory.put(e.index(), cs);
                onConfApplied(e.index(), cs);
                log("n%d applies %s -> %s", n.id, e, cs);
            } else if (awaitedPayload != null && java.util.Arrays.equals(e.data(), awaitedPayload)) {
                awaitedApplied = true;
            }
        }
    }

    /**
     * The newest membership anyone applied decides who is in the group: a node outside it that
     * was a member before has been removed for good, and is stopped as a real one would be.
     */
    private void onConfApplied(long index, ConfState cs) {
        confIndexes.add(index);
        if (index <= latestConfIndex) {
            return;
        }
        latestConfIndex = index;
        for (SimNode n : nodes.values()) {
            if (cs.contains(n.id)) {
                n.joined = true;
            } else if (n.joined && n.life != SimNode.Life.REMOVED) {
                pendingRemovals.add(n.id);
            }
        }
    }

    private void stopRemoved(SimNode n) {
        log("n%d is removed from the group and stops", n.id);
        n.life = SimNode.Life.REMOVED;
        n.raw = null;
        n.outstanding = null;
        n.incarnation++;
    }

    // ---------------------------------------------------------------- faults

    void crash(SimNode n) {
        if (!n.up()) {
            return;
        }
        log("n%d crashes%s", n.id, n.disk.hasUnsyncedWrites() ? " losing unsynced writes" : "");
        n.life = SimNode.Life.CRASHED;
        n.raw = null;
        n.outstanding = null;
        n.disk.crash();
        n.incarnation++;
        n.role = Role.FOLLOWER;
        n.applied.clear();
        n.confHistory.clear();
        crashes++;
    }

    /** Rebuilds the node from its synced disk alone: snapshot (the state machine), hard state, log. */
    void restart(SimNode n) {
        if (n.life != SimNode.Life.CRASHED) {
            return;
        }
        Snapshot snap = n.disk.durable().snapshot;
        n.applied.addAll(StateMachineCodec.decode(snap.data()));
        n.confHistory.put(snap.index(), snap.metadata().confState());
        n.raw = new RawNode(plan.config(n.id).withApplied(snap.index()), n.disk, n.random);
        n.life = SimNode.Life.UP;
        n.incarnation++;
        log("n%d restarts from %s, hard state %s, last index %d", n.id, snap, n.disk.durable().hardState,
                n.disk.durable().lastIndex());
        queue.after(1 + rnd.nextInt(n.tickMs), new SimEvent.Tick(n.id, n.incarnation));
        pump(n);
    }

    /** Snapshots the node's state machine and drops the log it covers, forcing snapshot sends. */
    void compact(SimNode n, int keep) {
        LogImage img = n.disk.current();
        if (!n.up() || n.outstanding != null || n.appliedIndex() <= img.snapshotIndex()) {
            return;
        }
        long index = Math.max(img.snapshotIndex() + 1, n.appliedIndex() - keep);
        long term = img.termAt(index);
        if (term < 0) {
            return;
        }
        byte[] data = StateMachineCodec.encode(n.applied, (int) index);
        n.disk.compactDurably(new Snapshot(new SnapshotMetadata(index, term, n.confAt(index)), data));
        snapshots++;
        log("n%d compacts its log up to %d", n.id, index);
    }

    // ---------------------------------------------------------------- checks

    private void report(Optional<Violation> v) {
        if (v.isPresent() && violation == null) {
            violation = v.get().at(queue.now());
        }
    }

    void reportViolation(Violation v) {
        report(Optional.of(v.at(queue.now())));
    }

    Violation violation() {
        return violation;
    }

    /** The pairwise log-matching check over every two nodes' synced logs. */
    void compareDurableLogs() {
        for (SimNode a : nodes.values()) {
            for (SimNode b : nodes.tailMap(a.id, false).values()) {
                report(LogMatchingChecker.compareLogs(a.id, a.disk.durable(), b.id, b.disk.durable()));
            }
        }
    }

    @Override
    public long liveHolderOf(Entry entry, long exceptNode) {
        for (SimNode n : nodes.values()) {
            if (n.id != exceptNode && n.up() && entry.equals(n.appliedAt(entry.index()))) {
                return n.id;
            }
        }
        return 0;
    }

    int elections() {
        return elections.elections();
    }

    int membershipChanges() {
        return confIndexes.size();
    }

    void log(String format, Object... args) {
        if (trace != null) {
            trace.printf("  t=%d " + format + "%n", prepend(queue.now(), args));
        }
    }

    private static Object[] prepend(long now, Object[] args) {
        Object[] all = new Object[args.length + 1];
        all[0] = now;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }
}
