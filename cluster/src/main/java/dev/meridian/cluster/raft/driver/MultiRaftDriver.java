package dev.meridian.cluster.raft.driver;

import dev.meridian.cluster.raft.GroupMessage;
import dev.meridian.cluster.raft.RaftMessageBatch;
import dev.meridian.cluster.raft.RaftTransport;
import dev.meridian.cluster.raft.storage.EngineRaftLogStorage;
import dev.meridian.raft.Config;
import dev.meridian.raft.ConfChange;
import dev.meridian.raft.ConfState;
import dev.meridian.raft.Message;
import dev.meridian.raft.MessageType;
import dev.meridian.raft.RawNode;
import dev.meridian.raft.Snapshot;
import dev.meridian.raft.SnapshotMetadata;
import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.WriteBatch;
import io.opentelemetry.api.OpenTelemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs many Raft groups of one node (one store, one {@link Engine}): the only code that
 * persists, sends and applies for their pure {@link RawNode}s. See the package documentation for
 * the invariants; in short, per worker round: persist every Ready with one engine write (synced
 * if any Ready must sync), then send, then apply, then advance.
 *
 * <p>Thread-safe. Every public method may be called from any thread; group state is touched only
 * by the worker holding the group, reached through the group's mailbox.
 */
public final class MultiRaftDriver implements AutoCloseable {

    private final long nodeId;
    private final Engine engine;
    private final RaftTransport transport;
    private final DriverConfig config;
    private final RaftMetrics metrics;
    private final Map<Long, GroupReplica> groups = new ConcurrentHashMap<>();
    /**
     * Guards every change of which groups are hosted (create, load, create on demand, the last
     * step of a removal) together with the engine check that goes with it, so a group is created
     * once and a new log is never staged over one that exists or is being deleted. Lookups of
     * hosted groups take no lock.
     */
    private final Object lifecycle = new Object();
    private volatile GroupFactory factory;
    private final BlockingQueue<GroupReplica> readyQueue = new LinkedBlockingQueue<>();
    private final AtomicLong proposalIds = new AtomicLong(new SplittableRandom().nextLong());
    private final SplittableRandom seeds;
    private final List<Thread> workers = new ArrayList<>();
    private final ScheduledExecutorService ticker;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /**
     * Starts the workers and the ticker and starts {@code transport} for {@code nodeId}. The
     * engine and the transport stay the caller's: {@link #close()} closes neither.
     */
    public MultiRaftDriver(long nodeId, Engine engine, RaftTransport transport, DriverConfig config, OpenTelemetry otel) {
        if (nodeId <= 0) {
            throw new IllegalArgumentException("node id must be positive: " + nodeId);
        }
        this.nodeId = nodeId;
        this.engine = engine;
        this.transport = transport;
        this.config = config;
        this.metrics = new RaftMetrics(otel == null ? OpenTelemetry.noop() : otel, nodeId);
        this.metrics.logEntries((otel == null ? OpenTelemetry.noop() : otel).getMeter("dev.meridian.cluster.raft"),
                () -> groups.values().stream().mapToLong(GroupReplica::logEntries).sum());
        this.seeds = new SplittableRandom(nodeId * 0x9E3779B97F4A7C15L ^ System.nanoTime());
        for (int i = 0; i < config.workerThreads(); i++) {
            Thread t = new Thread(this::runWorker, "raft-worker-n" + nodeId + "-" + i);
            t.setDaemon(true);
            workers.add(t);
        }
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "raft-ticker-n" + nodeId);
            t.setDaemon(true);
            return t;
        });
        transport.start(nodeId, new TransportReceiver());
        workers.forEach(Thread::start);
        long tickNanos = config.tickInterval().toNanos();
        ticker.scheduleAtFixedRate(this::tickAll, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }

    public long nodeId() {
        return nodeId;
    }

    /**
     * Creates a new group replica with an empty log whose initial voters are {@code peers}
     * (one of which must be {@code replicaId} on this node). Its log records are written synced
     * before this returns. Its membership cannot safely grow by replicas created on demand (see
     * the package documentation); ranges use the form with an initial index.
     *
     * @throws IllegalStateException if the group is hosted here already or has a log on the engine
     */
    public void createGroup(long groupId, long replicaId, List<Peer> peers, StateMachine sm) {
        Map<Long, Long> routes = routes(replicaId, peers);
        ConfState voters = ConfState.of(routes.keySet(), List.of());
        create(groupId, replicaId, routes, sm, new Snapshot(new SnapshotMetadata(0, 0, voters), new byte[0]), 0);
    }

    private void create(long groupId, long replicaId, Map<Long, Long> routes, StateMachine sm, Snapshot initial,
                        long minTerm) {
        synchronized (lifecycle) {
            checkNotHosted(groupId);
            EngineRaftLogStorage storage;
            try (WriteBatch batch = engine.newWriteBatch()) {
                storage = EngineRaftLogStorage.create(engine, groupId, initial, minTerm, batch);
                engine.write(batch, Durability.SYNCED);
            }
            register(groupId, replicaId, routes, storage, sm, initial.index(), initial.index(), null);
        }
        metrics.groupsCreated.add(1);
    }

    private void checkNotHosted(long groupId) {
        if (groups.containsKey(groupId)) {
            throw new IllegalStateException("group " + groupId + " is already hosted on node " + nodeId);
        }
    }

    /**
     * Hosts a group whose log is on the engine already (after a restart). A state machine that
     * is behind the log's snapshot is first restored from it; committed commands after its
     * applied index are applied again. Committed membership changes after the log's snapshot
     * are applied to Raft again whatever the state machine's applied index (the membership is
     * persisted only with snapshots), but reach the state machine only if they are after its
     * applied index. Routes: {@code peers}, overridden by {@link StateMachine#peers()} if known.
     *
     * @throws IllegalStateException if the group is hosted here already or has no log on the engine
     */
    public void loadGroup(long groupId, long replicaId, List<Peer> peers, StateMachine sm) {
        Map<Long, Long> routes = routes(replicaId, peers);
        synchronized (lifecycle) {
            checkNotHosted(groupId);
            EngineRaftLogStorage storage = EngineRaftLogStorage.open(engine, groupId);
            long snapshotIndex = storage.snapshot().index();
            long smApplied = sm.appliedIndex();
            if (snapshotIndex > smApplied) {
                sm.restore(snapshotIndex, storage.snapshot().data());
                smApplied = snapshotIndex;
            }
            List<Peer> known = sm.peers();
            if (known != null) {
                Map<Long, Long> merged = new TreeMap<>(routes);
                known.forEach(p -> merged.put(p.replicaId(), p.nodeId()));
                routes = merged;
            }
            register(groupId, replicaId, routes, storage, sm, snapshotIndex, smApplied, null);
        }
    }

    private Map<Long, Long> routes(long replicaId, List<Peer> peers) {
        Map<Long, Long> routes = new TreeMap<>();
        for (Peer p : peers) {
            if (routes.put(p.replicaId(), p.nodeId()) != null) {
                throw new IllegalArgumentException("replica " + p.replicaId() + " listed twice");
            }
        }
        if (routes.getOrDefault(replicaId, 0L) != nodeId) {
            throw new IllegalArgumentException("replica " + replicaId + " must be a peer hosted on node " + nodeId);
        }
        return Map.copyOf(routes);
    }

    /**
     * Hosts a group whose log exists or is staged in {@code creation}. Raft starts applied at
     * {@code applied}; entries up to {@code smApplied} are in the state machine already (only
     * their membership changes reach Raft again). Under {@link #lifecycle}.
     */
    private GroupReplica register(long groupId, long replicaId, Map<Long, Long> routes, EngineRaftLogStorage storage,
                                  StateMachine sm, long applied, long smApplied, WriteBatch creation) {
        checkRunning();
        Config raftConfig = Config.defaults(replicaId).withElection(config.electionTicks(), config.heartbeatTicks())
                .withFlowControl(config.maxSizePerMsg(), config.maxInflightMsgs(), 0).withApplied(applied);
        RawNode node;
        synchronized (seeds) {
            node = new RawNode(raftConfig, storage, seeds.split());
        }
        GroupReplica g = new GroupReplica(groupId, replicaId, routes, node, storage, sm, applied, smApplied, metrics,
                config, creation);
        if (groups.putIfAbsent(groupId, g) != null) {
            throw new IllegalStateException("group " + groupId + " is already hosted on node " + nodeId);
        }
        schedule(g);
        return g;
    }

    /**
     * Proposes {@code command} to the group's replica here. The future completes with the
     * command's log index once it is applied here, or fails with a {@link ProposalException}
     * ({@code NOT_LEADER} with a hint when this replica is not the leader).
     *
     * @throws IllegalArgumentException if the group is not hosted here
     */
    public CompletableFuture<Long> propose(long groupId, byte[] command) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new ProposalException(ProposalException.Reason.DRIVER_CLOSED, groupId, 0, null));
            return done;
        }
        long start = System.nanoTime();
        enqueue(group(groupId), new GroupEvent.Propose(proposalIds.incrementAndGet(), command.clone(), done));
        // Observed, not chained: callers get the very future that fails with the ProposalException.
        done.whenComplete((index, failure) -> {
            if (failure == null) {
                metrics.commitLatency.record((System.nanoTime() - start) / 1e9);
            }
        });
        return done;
    }

    /**
     * Creates a new group replica whose log starts after {@code initialIndex}: its log holds a
     * snapshot at that index (term {@code initialTerm}) of {@code sm}'s current state, so a
     * replica added later, which starts empty, can only be initialized by a snapshot. Ranges
     * start their logs this way (bootstrap and splits), never at index 0. The snapshot's
     * membership is {@code peers}, all voters; the hard state starts at {@code initialTerm} with
     * the snapshot committed. Written synced before this returns. {@code sm} must hold the
     * state as of {@code initialIndex}; every replica of the group must be created from the
     * same state, index and term.
     *
     * @throws IllegalArgumentException if the index or term is not positive, or the peers are invalid
     * @throws IllegalStateException    if the group is hosted here already or has a log on the engine
     */
    public void createGroup(long groupId, long replicaId, List<Peer> peers, StateMachine sm, long initialIndex,
                            long initialTerm) {
        createGroup(groupId, replicaId, peers, sm, initialIndex, initialTerm, 0);
    }

    /**
     * As {@link #createGroup(long, long, List, StateMachine, long, long)}, starting the replica's
     * hard state at term {@code minTerm} or above: for a group that replaces an uninitialized
     * replica (removed first), which may have seen a higher term than the initial one.
     */
    public void createGroup(long groupId, long replicaId, List<Peer> peers, StateMachine sm, long initialIndex,
                            long initialTerm, long minTerm) {
        if (initialIndex <= 0 || initialTerm <= 0) {
            throw new IllegalArgumentException("initial index and term must be positive: " + initialIndex + ", " + initialTerm);
        }
        Map<Long, Long> routes = routes(replicaId, peers);
        ConfState voters = ConfState.of(routes.keySet(), List.of());
        create(groupId, replicaId, routes, sm, new Snapshot(new SnapshotMetadata(initialIndex, initialTerm, voters), sm.snapshot()),
                minTerm);
    }

    /**
     * Proposes a membership change; {@code context} (null: none) reaches every replica's
     * {@link StateMachine#applyConfChange} when the change applies. Completes like
     * {@link #propose}: with the entry's index once applied here, {@code NOT_LEADER} (with a
     * hint) on a follower, {@code REJECTED} if Raft refuses it (another change still pending,
     * including the leader's own leave-joint step; an invalid change; a transfer under way),
     * {@code AMBIGUOUS} if leadership is lost after appending.
     *
     * @throws IllegalArgumentException if the group is not hosted here, or {@code change}
     *                                  carries a context of its own (pass it as {@code context})
     */
    public CompletableFuture<Long> proposeConfChange(long groupId, ConfChange change, byte[] context) {
        if (change.context().length > 0) {
            throw new IllegalArgumentException("pass the context as the argument, not inside the change: " + change);
        }
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new ProposalException(ProposalException.Reason.DRIVER_CLOSED, groupId, 0, null));
            return done;
        }
        byte[] ctx = context == null ? new byte[0] : context.clone();
        enqueue(group(groupId), new GroupEvent.ProposeConfChange(proposalIds.incrementAndGet(), change, ctx, done));
        return done;
    }

    /**
     * Asks the group's leader to hand leadership to {@code targetReplicaId} (a follower here
     * forwards the request to the leader it knows). Fire and forget: watch {@link #status}.
     * Ignored by Raft if the target is not a voter; abandoned after an election timeout.
     *
     * @throws IllegalArgumentException if the group is not hosted here or the target is not positive
     */
    public void transferLeadership(long groupId, long targetReplicaId) {
        if (targetReplicaId <= 0) {
            throw new IllegalArgumentException("replica ids are positive: " + targetReplicaId);
        }
        enqueue(group(groupId), new GroupEvent.TransferLeadership(targetReplicaId));
    }

    /**
     * Installs the factory for groups that a message names and this node does not host yet
     * (null: drop such messages). The factory runs on transport threads, one call at a time;
     * it must not block for long nor call this driver's create, load or remove methods.
     */
    public void setGroupFactory(GroupFactory factory) {
        this.factory = factory;
    }

    /**
     * Stops hosting the group and deletes its log and hard state from the engine (one synced
     * write); its pending and queued proposals fail with {@code DRIVER_CLOSED}. The future
     * completes once the deletion is durable and the group is no longer hosted. Messages for it
     * go to the factory afterwards, which must refuse a group it removed (a replica recreated
     * with the same replica id would have forgotten its vote).
     *
     * @throws IllegalArgumentException if the group is not hosted here
     */
    public CompletableFuture<Void> removeGroup(long groupId) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("driver of node " + nodeId + " is closed", failure));
            return done;
        }
        enqueue(group(groupId), new GroupEvent.Remove(done));
        return done;
    }

    /** Whether the group has a replica on this node. */
    public boolean hosts(long groupId) {
        return groups.containsKey(groupId);
    }

    /** Makes the group's replica here campaign for leadership now. */
    public void campaign(long groupId) {
        enqueue(group(groupId), new GroupEvent.Campaign());
    }

    /**
     * Ends the group's quiescence here: the replica ticks again (a follower will campaign if it
     * then hears no leader). For the node-liveness layer when a quiesced leader's node is dead.
     */
    public void wake(long groupId) {
        enqueue(group(groupId), new GroupEvent.Wake());
    }

    /** The replica's view of its group, taken by the worker that owns it. */
    public CompletableFuture<GroupStatus> status(long groupId) {
        CompletableFuture<GroupStatus> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("driver of node " + nodeId + " is closed", failure));
            return done;
        }
        enqueue(group(groupId), new GroupEvent.Query(done));
        return done;
    }

    /** The ids of the groups hosted here, in order. */
    public List<Long> groupIds() {
        return new ArrayList<>(new TreeSet<>(groups.keySet()));
    }

    public DriverStats stats() {
        return metrics.snapshot();
    }

    /**
     * Why the driver stopped by itself (a failed log write or a state machine that threw), or
     * null while healthy. A failed driver processes nothing more; {@link #close()} it to fail
     * the proposals still waiting.
     */
    public Throwable failure() {
        return failure;
    }

    private GroupReplica group(long groupId) {
        GroupReplica g = groups.get(groupId);
        if (g == null) {
            throw new IllegalArgumentException("group " + groupId + " is not hosted on node " + nodeId);
        }
        return g;
    }

    private void enqueue(GroupReplica g, GroupEvent ev) {
        g.mailbox.add(ev);
        schedule(g);
    }

    private void schedule(GroupReplica g) {
        if (g.scheduled.compareAndSet(false, true)) {
            readyQueue.add(g);
        }
    }

    private void tickAll() {
        for (GroupReplica g : groups.values()) {
            if (!g.quiesced && g.tickQueued.compareAndSet(false, true)) {
                enqueue(g, new GroupEvent.Tick());
            }
        }
        metrics.tickerRounds.add(1);
    }

    private void runWorker() {
        List<GroupReplica> round = new ArrayList<>();
        Outbox outbox = new Outbox(nodeId);
        try {
            while (running) {
                GroupReplica first = readyQueue.poll(20, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                round.add(first);
                readyQueue.drainTo(round, config.maxGroupsPerRound() - 1);
                processRound(round, outbox);
                round.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // A failed log write leaves storage caches ahead of the disk: stop the node rather
            // than run on with state it may not have.
            failure = e;
            running = false;
        }
    }

    /**
     * One round: drain mailboxes, stage every Ready into one batch, write it once (synced if any
     * Ready needs it), then send, then apply and advance. The order is the safety argument of
     * the package; do not reorder.
     */
    private void processRound(List<GroupReplica> round, Outbox outbox) {
        List<GroupReplica> withReady = new ArrayList<>();
        boolean sync = false;
        long entries = 0;
        try (WriteBatch batch = engine.newWriteBatch()) {
            for (GroupReplica g : round) {
                g.persistCreation(engine);
                g.drainMailbox(outbox);
                if (g.isRemoved()) {
                    retire(g);
                } else if (g.stage(batch)) {
                    withReady.add(g);
                    sync |= g.readyMustSync();
                    entries += g.readyEntryCount();
                }
            }
            if (config.leaderAppendsInParallel()) {
                for (GroupReplica g : withReady) {
                    g.sendEarly(outbox);
                }
                flush(outbox);
                for (GroupReplica g : withReady) {
                    g.applyEarly();
                }
            }
            persist(batch, sync, entries);
        }
        if (!config.leaderAppendsInParallel()) {
            for (GroupReplica g : withReady) {
                g.sendEarly(outbox);
            }
        }
        for (GroupReplica g : withReady) {
            g.send(outbox);
        }
        flush(outbox);
        for (GroupReplica g : withReady) {
            g.applyAndAdvance(engine);
        }
        if (!withReady.isEmpty()) {
            metrics.readyRounds.add(1);
        }
        for (GroupReplica g : round) {
            release(g);
        }
    }

    private void flush(Outbox outbox) {
        if (!outbox.isEmpty()) {
            outbox.flush(transport, (group, to, ok) -> enqueue(group, new GroupEvent.SnapshotStatus(to, ok)));
        }
    }

    /**
     * The end of a removal: the log is deleted (synced) before the group leaves the table, so a
     * replica created again on demand stages its records after the deletion, never under it.
     */
    private void retire(GroupReplica g) {
        if (g.deleteLog(engine)) {
            synchronized (lifecycle) {
                groups.remove(g.groupId, g);
            }
            metrics.groupsRemoved.add(1);
        }
        g.finishRemovals();
    }

    private void persist(WriteBatch batch, boolean sync, long entries) {
        if (batch.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        engine.write(batch, sync ? Durability.SYNCED : Durability.UNSYNCED);
        if (sync) {
            metrics.fsync(entries, System.nanoTime() - start);
        }
    }

    /**
     * Gives the group up, or keeps it queued if it has work. The flag is cleared before the
     * final mailbox check, so an event queued concurrently is never stranded.
     */
    private void release(GroupReplica g) {
        if (g.hasWork()) {
            readyQueue.add(g);
            return;
        }
        g.scheduled.set(false);
        if (!g.mailbox.isEmpty()) {
            schedule(g);
        }
    }

    private void checkRunning() {
        if (!running) {
            throw new IllegalStateException("driver of node " + nodeId + " is closed", failure);
        }
    }

    /**
     * Stops the ticker and the workers (a round in progress completes), then fails every
     * proposal still waiting with {@code DRIVER_CLOSED}. Closes neither the engine nor the
     * transport; close the transport first so that no batch arrives meanwhile.
     */
    @Override
    public void close() {
        running = false;
        ticker.shutdownNow();
        for (Thread t : workers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (GroupReplica g : groups.values()) {
            g.failPending(ProposalException.Reason.DRIVER_CLOSED, "driver closed");
            g.failQueued();
        }
    }

    /**
     * Hosts an uninitialized replica for a message to a group not hosted here, if the factory
     * wants it: empty log, no membership (so it never campaigns; a leader's snapshot initializes
     * it). Its records are staged here and written synced by its worker before its first turn.
     * Only messages a leader starts (append, heartbeat, snapshot) create one; a stray response or a
     * candidate's vote request does not. Never
     * over a log that exists on the engine but is not loaded (yet): that message is dropped.
     * Runs on a transport thread; the engine check and the factory call are all it waits for.
     */
    private GroupReplica hostOnDemand(long groupId, Message m, long fromNode) {
        GroupFactory f = factory;
        if (f == null || !running || m.to() <= 0 || !startsExchange(m.type())) {
            return null;
        }
        synchronized (lifecycle) {
            GroupReplica existing = groups.get(groupId);
            if (existing != null) {
                return existing;
            }
            if (EngineRaftLogStorage.exists(engine, groupId)) {
                return null;
            }
            StateMachine sm = f.createUninitialized(groupId, m.to(), fromNode);
            if (sm == null) {
                return null;
            }
            WriteBatch creation = engine.newWriteBatch();
            try {
                EngineRaftLogStorage storage = EngineRaftLogStorage.create(engine, groupId, ConfState.EMPTY, creation);
                GroupReplica g = register(groupId, m.to(), Map.of(m.to(), nodeId), storage, sm, 0, 0, creation);
                metrics.groupsCreated.add(1);
                metrics.replicasCreatedOnDemand.add(1);
                return g;
            } catch (RuntimeException e) {
                creation.close();
                if (!running) {
                    return null; // closed meanwhile: the message is dropped like any other now
                }
                throw e;
            }
        }
    }

    private static boolean startsExchange(MessageType t) {
        return switch (t) {
            // Not votes: a replica without a log has nothing to vote on, and a placeholder that
            // voted could not be replaced safely (a split creating the same group) without
            // carrying its vote along.
            case APP, HEARTBEAT, SNAP -> true;
            default -> false;
        };
    }

    /** Turns incoming batches into mailbox events; runs on transport threads and never blocks. */
    private final class TransportReceiver implements RaftTransport.Receiver {
        @Override
        public void receive(RaftMessageBatch batch) {
            for (GroupMessage gm : batch.messages()) {
                GroupReplica g = groups.get(gm.groupId());
                if (g == null) {
                    g = hostOnDemand(gm.groupId(), gm.message(), batch.fromNode());
                }
                if (g == null) {
                    metrics.droppedUnknownGroup.add(1);
                } else {
                    enqueue(g, new GroupEvent.Step(gm.message(), batch.fromNode()));
                }
            }
        }

        @Override
        public void unreachable(long unreachableNode) {
            for (GroupReplica g : groups.values()) {
                for (Map.Entry<Long, Long> e : g.routes.table().entrySet()) {
                    if (e.getValue() == unreachableNode) {
                        enqueue(g, new GroupEvent.Unreachable(e.getKey()));
                    }
                }
            }
        }
    }
}
