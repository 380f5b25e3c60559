package dev.meridian.cluster.replica;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.cluster.kv.BatchRequests;
import dev.meridian.cluster.kv.KvException;
import dev.meridian.cluster.kv.KvOperations;
import dev.meridian.cluster.raft.RaftTransport;
import dev.meridian.cluster.raft.driver.DriverConfig;
import dev.meridian.cluster.raft.driver.GroupStatus;
import dev.meridian.cluster.raft.driver.MultiRaftDriver;
import dev.meridian.cluster.raft.driver.Peer;
import dev.meridian.cluster.raft.driver.StateMachine;
import dev.meridian.cluster.raft.storage.EngineRaftLogStorage;
import dev.meridian.cluster.time.ClockOffsetException;
import dev.meridian.cluster.time.HybridClock;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.Lease;
import dev.meridian.proto.kv.NodeDescriptor;
import dev.meridian.proto.kv.RangeDescriptor;
import dev.meridian.proto.kv.RangeInfo;
import dev.meridian.proto.kv.ReplicaDescriptor;
import dev.meridian.proto.kv.ReplicaType;
import dev.meridian.proto.replication.RangeState;
import dev.meridian.proto.replication.StoreIdent;
import dev.meridian.raft.Role;
import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.WriteBatch;
import dev.meridian.storage.mvcc.Mvcc;
import dev.meridian.storage.mvcc.MvccStats;
import dev.meridian.storage.mvcc.Timestamp;
import dev.meridian.storage.mvcc.WriteOptions;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The replicas of one node on one engine, and the MultiRaft driver that runs their groups.
 * Routes each incoming batch to its replica, creates the right-hand replica of a split and
 * the uninitialized replica a leader adds here, and keeps its leases and meta entries current
 * ({@link #maintain()}).
 *
 * <p>Thread-safe.
 */
public final class Store implements ReplicaHost, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Store.class.getName());

    private final long nodeId;
    private final Engine engine;
    private final HybridClock clock;
    private final StoreConfig config;
    private final OpenTelemetry otel;
    private final ReplicaMetrics metrics;
    private final MultiRaftDriver driver;
    private final Supplier<KvOperations> kv;
    private final Map<Long, Replica> replicas = new ConcurrentHashMap<>();
    private final Map<Long, Long> leaderNodes = new ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "meridian-store-background");
        t.setDaemon(true);
        return t;
    });
    private final TxnWaiters txnWaiters = new TxnWaiters(System::nanoTime);
    /** The generation of each range's descriptor this store last made current in meta. */
    private final Map<Long, Long> metaWritten = new ConcurrentHashMap<>();

    /**
     * Opens the store of an identified node: starts the driver (which starts {@code transport}
     * for {@code nodeId}) and loads every replica found on the engine.
     *
     * @param kv the cluster's KV API (this node's DistSender), for range ids and meta entries
     */
    public Store(long nodeId, Engine engine, RaftTransport transport, DriverConfig driverConfig, StoreConfig config,
                 HybridClock clock, Supplier<KvOperations> kv, OpenTelemetry otel) {
        this.nodeId = nodeId;
        this.engine = engine;
        this.clock = clock;
        this.config = config;
        this.otel = otel;
        this.kv = kv;
        this.metrics = new ReplicaMetrics(otel, nodeId);
        this.driver = new MultiRaftDriver(nodeId, engine, transport, driverConfig, otel);
        Meter meter = otel.getMeter("dev.meridian.cluster.replica");
        meter.gaugeBuilder("meridian.kv.replicas").ofLongs().setDescription("replicas on this store")
                .buildWithCallback(m -> m.record(replicas.size()));
        meter.gaugeBuilder("meridian.kv.leases").ofLongs().setDescription("leases held by this store")
                .buildWithCallback(m -> m.record(leaseCount()));
        loadReplicas();
        driver.setGroupFactory(this::createUninitialized);
    }

    // ---------------------------------------------------------------------------------------
    // Identity and bootstrap
    // ---------------------------------------------------------------------------------------

    /** The identity written on the engine when the node joined or bootstrapped, if any. */
    public static Optional<StoreIdent> readIdent(Engine engine) {
        byte[] raw = engine.get(KeySpace.LOCAL, Keys.STORE_IDENT);
        if (raw == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(StoreIdent.parseFrom(raw));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new dev.meridian.storage.CorruptionException("store identity is not readable: " + e.getMessage(), Keys.STORE_IDENT, e);
        }
    }

    /** Writes the node's identity, synced. */
    public static void writeIdent(Engine engine, StoreIdent ident) {
        try (WriteBatch wb = engine.newWriteBatch()) {
            wb.put(KeySpace.LOCAL, Keys.STORE_IDENT, ident.toByteArray());
            engine.write(wb, Durability.SYNCED);
        }
    }

    /**
     * Bootstraps a new cluster on an empty engine: the identity of node 1, and the first range
     * [/Min, /Max) on it with its meta entry, the id counters and node 1's descriptor, all
     * written directly (the range's Raft log starts after them, at
     * {@link RangeStates#INITIAL_INDEX}). Synced.
     *
     * @throws IllegalStateException if the engine holds an identity or any range already
     */
    public static void bootstrap(Engine engine, String clusterId, NodeDescriptor node, Timestamp now) {
        if (readIdent(engine).isPresent() || !loadStates(engine).isEmpty()) {
            throw new IllegalStateException("this store already belongs to a cluster");
        }
        RangeDescriptor r1 = RangeDescriptor.newBuilder().setRangeId(1).setStartKey(ByteString.copyFrom(Keys.MIN))
                .setEndKey(ByteString.copyFrom(Keys.MAX)).setGeneration(0).setNextReplicaId(2)
                .addReplicas(ReplicaDescriptor.newBuilder().setNodeId(node.getNodeId()).setStoreId(node.getNodeId())
                        .setReplicaId(1).setType(ReplicaType.VOTER))
                .build();
        MvccStats stats = new MvccStats();
        try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
            WriteOptions wo = WriteOptions.at(now);
            Mvcc.put(batch, stats, Keys.metaKey(Keys.MAX), r1.toByteArray(), wo);
            Mvcc.put(batch, stats, Keys.NODE_ID_GEN, longBytes(node.getNodeId()), wo);
            Mvcc.put(batch, stats, Keys.RANGE_ID_GEN, longBytes(1), wo);
            Mvcc.put(batch, stats, Keys.nodeDescriptorKey(node.getNodeId()), node.toByteArray(), wo);
            RangeState state = RangeState.newBuilder().setRangeDescriptor(r1).setAppliedIndex(RangeStates.INITIAL_INDEX)
                    .setStats(RangeStates.toProto(stats)).build();
            batch.put(KeySpace.LOCAL, Keys.rangeStateKey(1), state.toByteArray());
            batch.put(KeySpace.LOCAL, Keys.STORE_IDENT, StoreIdent.newBuilder().setClusterId(clusterId)
                    .setNodeId(node.getNodeId()).setStoreId(node.getNodeId()).build().toByteArray());
            engine.write(batch, Durability.SYNCED);
        }
    }

    static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static List<RangeState> loadStates(Engine engine) {
        List<RangeState> out = new ArrayList<>();
        byte[] prefix = Keys.rangeLocalPrefix();
        try (EngineIterator it = engine.iterator(KeySpace.LOCAL, prefix, dev.meridian.storage.encoding.KeyEncoding.prefixEnd(prefix))) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                long id = Keys.rangeIdOfStateKey(it.key());
                if (id > 0) {
                    out.add(RangeStates.parse(it.value(), id));
                }
            }
        }
        return out;
    }

    /** The replica ids this store recorded when it created its replicas, by range. */
    private Map<Long, Long> loadReplicaIds() {
        Map<Long, Long> out = new java.util.TreeMap<>();
        byte[] prefix = Keys.rangeLocalPrefix();
        try (EngineIterator it = engine.iterator(KeySpace.LOCAL, prefix, dev.meridian.storage.encoding.KeyEncoding.prefixEnd(prefix))) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                long id = Keys.rangeIdOfReplicaIdKey(it.key());
                if (id > 0) {
                    out.put(id, ByteBuffer.wrap(it.value()).getLong());
                }
            }
        }
        return out;
    }

    /**
     * Hosts every replica found on the engine: those with a range state, and those created on
     * demand that never got their snapshot. The replica id comes from the applied descriptor
     * or, when this replica's addition is not applied yet (a learner that restored an older
     * snapshot and stopped before applying the change that added it), from the record written
     * when the replica was created.
     */
    private void loadReplicas() {
        Map<Long, Long> recorded = loadReplicaIds();
        Map<Long, RangeState> states = new java.util.TreeMap<>();
        for (RangeState s : loadStates(engine)) {
            states.put(s.getRangeDescriptor().getRangeId(), s);
        }
        java.util.Set<Long> ids = new java.util.TreeSet<>(states.keySet());
        ids.addAll(recorded.keySet());
        for (long rangeId : ids) {
            RangeState s = states.getOrDefault(rangeId, RangeState.getDefaultInstance());
            long replicaId = RangeStates.replicaOn(s.getRangeDescriptor(), nodeId).map(ReplicaDescriptor::getReplicaId)
                    .orElse(recorded.getOrDefault(rangeId, 0L));
            if (replicaId == 0) {
                LOG.warning(() -> "r" + rangeId + " lists no replica on node " + nodeId + " and none was recorded; not hosting it");
                continue;
            }
            if (!s.hasRangeDescriptor() && !EngineRaftLogStorage.exists(engine, rangeId)) {
                continue;
            }
            Replica r = new Replica(this, rangeId, s);
            replicas.put(rangeId, r);
            host(r, replicaId, s.getAppliedIndex() == RangeStates.INITIAL_INDEX);
        }
    }

    private void host(Replica r, long replicaId, boolean mayBeNew) {
        recordReplicaId(r.rangeId, replicaId);
        List<Peer> peers = r.peers();
        if (peers == null || peers.stream().noneMatch(p -> p.replicaId() == replicaId)) {
            List<Peer> withMe = new ArrayList<>(peers == null ? List.of() : peers);
            withMe.add(new Peer(replicaId, nodeId));
            peers = withMe;
        }
        if (EngineRaftLogStorage.exists(engine, r.rangeId)) {
            driver.loadGroup(r.rangeId, replicaId, peers, r);
        } else if (mayBeNew) {
            driver.createGroup(r.rangeId, replicaId, peers, r, RangeStates.INITIAL_INDEX, RangeStates.INITIAL_TERM);
        } else {
            throw new IllegalStateException("r" + r.rangeId + " has applied state but no Raft log");
        }
    }

    private void recordReplicaId(long rangeId, long replicaId) {
        byte[] key = Keys.rangeReplicaIdKey(rangeId);
        byte[] value = longBytes(replicaId);
        if (!java.util.Arrays.equals(engine.get(KeySpace.LOCAL, key), value)) {
            try (WriteBatch wb = engine.newWriteBatch()) {
                wb.put(KeySpace.LOCAL, key, value);
                engine.write(wb, Durability.SYNCED);
            }
        }
    }

    private StateMachine createUninitialized(long rangeId, long replicaId, long fromNode) {
        // An initialized replica without a group is one a split (or start-up) is about to
        // host: drop the message, the leader retries. Hosting that replica as a placeholder
        // would make the split's own group creation fail, and with it this node's store.
        Replica existing = replicas.get(rangeId);
        if (existing != null) {
            return existing.isInitialized() ? null : existing;
        }
        if (RangeStates.read(engine, rangeId).isPresent()) {
            return null;
        }
        Replica r = new Replica(this, rangeId, RangeState.getDefaultInstance());
        Replica raced = replicas.putIfAbsent(rangeId, r);
        if (raced != null) {
            return raced.isInitialized() ? null : raced;
        }
        // Recorded before its log exists, so a restart finds it even before it has a state.
        recordReplicaId(rangeId, replicaId);
        return r;
    }

    // ---------------------------------------------------------------------------------------
    // Serving
    // ---------------------------------------------------------------------------------------

    /** Routes one range's batch to its replica here. Blocks; never throws. */
    public BatchResponse send(BatchRequest request) {
        long rangeId = request.getHeader().getRangeId();
        Replica r = rangeId != 0 ? replicas.get(rangeId) : replicaForKey(request);
        if (r == null) {
            return Replica.error(ErrorKind.RANGE_NOT_FOUND, (rangeId != 0 ? "r" + rangeId : "the range of that key")
                    + " is not on node " + nodeId);
        }
        return r.send(request);
    }

    private Replica replicaForKey(BatchRequest request) {
        if (request.getRequestsCount() == 0) {
            return null;
        }
        byte[] key = firstKey(request.getRequests(0));
        for (Replica r : replicas.values()) {
            RangeDescriptor d = r.descriptor();
            if (r.isInitialized() && Keys.contains(d.getStartKey().toByteArray(), d.getEndKey().toByteArray(), key)) {
                return r;
            }
        }
        return null;
    }

    private static byte[] firstKey(dev.meridian.proto.kv.RequestUnion r) {
        return switch (r.getValueCase()) {
            case SCAN -> r.getScan().getStartKey().toByteArray();
            case ADMIN_TRANSFER_LEASE, ADMIN_CHANGE_REPLICAS, VALUE_NOT_SET -> Keys.MIN;
            default -> BatchRequests.pointKey(r);
        };
    }

    public Optional<Replica> replica(long rangeId) {
        return Optional.ofNullable(replicas.get(rangeId));
    }

    /** The initialized replicas here, by range id. */
    public List<Replica> replicas() {
        return replicas.values().stream().filter(Replica::isInitialized)
                .sorted(Comparator.comparingLong(Replica::rangeId)).toList();
    }

    /** What /_status/ranges shows for this node. */
    public List<RangeInfo> rangeInfos() {
        List<RangeInfo> out = new ArrayList<>();
        for (Replica r : replicas()) {
            RangeState s = r.state();
            out.add(RangeInfo.newBuilder().setRangeDescriptor(s.getRangeDescriptor()).setLease(s.getLease())
                    .setRaftLeaderNodeId(leaderNodes.getOrDefault(r.rangeId, 0L)).setAppliedIndex(s.getAppliedIndex())
                    .setLiveBytes(s.getStats().getLiveBytes()).setKeyCount(s.getStats().getKeyCount()).build());
        }
        return out;
    }

    /** The first range's descriptor and lease as this store has them, if it has a replica. */
    public Optional<RangeState> firstRange() {
        return Optional.ofNullable(replicas.get(1L)).filter(Replica::isInitialized).map(Replica::state);
    }

    public long leaseCount() {
        long n = 0;
        for (Replica r : replicas.values()) {
            Lease l = r.state().getLease();
            if (l.getReplica().getNodeId() == nodeId && r.leaseRemaining().isPositive()) {
                n++;
            }
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------
    // Maintenance
    // ---------------------------------------------------------------------------------------

    /**
     * One round of housekeeping, called periodically by the node: refresh who leads each
     * group; extend leases at half-life; a Raft leader takes the lease of a range whose lease
     * has lapsed (the lease follows leadership after a failure) and hands leadership to a live
     * leaseholder elsewhere (leadership follows the lease after a transfer); add voters while a
     * range has fewer than the replication factor and {@code candidates} has nodes without one.
     */
    /**
     * Wakes the groups of ranges that nobody can serve (no valid lease) and whose leader is not
     * this node, as last seen. If such a group is quiesced and its leader died with the lease,
     * no election timer runs and no request would start one; woken, its followers elect a
     * leader, which then takes the lease. Never blocks: run it apart from {@link #maintain},
     * whose lease and meta work can wait on the very ranges this revives.
     */
    public void wakeLeaderless() {
        for (Replica r : replicas()) {
            if (leaderNodes.getOrDefault(r.rangeId, 0L) != nodeId && r.isInitialized()
                    && r.leaseRemaining().compareTo(config.maxOffset()) <= 0) {
                wakeGroup(r.rangeId);
            }
        }
    }

    @Override
    public void wakeGroup(long rangeId) {
        try {
            driver.wake(rangeId);
        } catch (RuntimeException e) {
            LOG.fine(() -> "r" + rangeId + " not woken: " + e); // removed meanwhile, or the driver stopped
        }
    }

    public void maintain(List<Long> candidates) {
        for (Replica r : replicas()) {
            try {
                maintain(r, candidates);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Replica.ReplicaError | KvException e) {
                LOG.fine(() -> "r" + r.rangeId + " maintenance: " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "r" + r.rangeId + " maintenance failed", e);
            }
        }
    }

    private void maintain(Replica r, List<Long> candidates) throws InterruptedException {
        GroupStatus st;
        try {
            st = driver.status(r.rangeId).get(1, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return;
        }
        leaderNodes.put(r.rangeId, st.leaderNodeId());
        boolean leader = st.role() == Role.LEADER;
        Lease lease = r.state().getLease();
        boolean mine = lease.getReplica().getNodeId() == nodeId;
        java.time.Duration remaining = r.leaseRemaining();
        if (mine && remaining.compareTo(config.leaseDuration().dividedBy(2)) < 0 && leader) {
            r.requestLease(lease);
        } else if (!mine && leader && remaining.compareTo(config.maxOffset()) <= 0) {
            r.leaseForServing();
        } else if (!mine && leader && lease.getReplica().getNodeId() != 0
                && remaining.compareTo(config.leaseDuration().dividedBy(2)) > 0) {
            // Only a lease extended recently says its holder is alive: handing leadership to a
            // dead holder would stall proposals for an election timeout per attempt.
            driver.transferLeadership(r.rangeId, lease.getReplica().getReplicaId());
        }
        if (mine && leader && r.leaseRemaining().compareTo(config.maxOffset()) > 0) {
            updateMetaIfStale(r.descriptor());
            upReplicate(r, candidates);
        }
    }

    private void upReplicate(Replica r, List<Long> candidates) throws InterruptedException {
        RangeDescriptor d = r.descriptor();
        long voters = d.getReplicasList().stream().filter(x -> x.getType() == ReplicaType.VOTER).count();
        boolean settled = voters == d.getReplicasCount();
        if (voters >= config.replicationFactor()) {
            return;
        }
        Optional<ReplicaDescriptor> learner = d.getReplicasList().stream()
                .filter(x -> x.getType() == ReplicaType.LEARNER).findFirst();
        long target;
        if (learner.isPresent()) {
            target = learner.get().getNodeId();
        } else if (settled) {
            Optional<Long> free = candidates.stream().filter(n -> RangeStates.replicaOn(d, n).isEmpty()).findFirst();
            if (free.isEmpty()) {
                return;
            }
            target = free.get();
        } else {
            return;
        }
        ReplicaAdmin.run(r, dev.meridian.proto.kv.RequestUnion.newBuilder().setAdminChangeReplicas(
                dev.meridian.proto.kv.AdminChangeReplicasRequest.newBuilder().setTargetNodeId(target)).build());
    }

    private void updateMetaIfStale(RangeDescriptor d) throws InterruptedException {
        if (metaWritten.getOrDefault(d.getRangeId(), -1L) != d.getGeneration()) {
            updateMeta(d);
        }
    }

    /** Moves every lease held here to another voter (for a drain); returns the leases left. */
    public long drainLeases() {
        for (Replica r : replicas()) {
            Lease l = r.state().getLease();
            if (l.getReplica().getNodeId() != nodeId || !r.leaseRemaining().isPositive()) {
                continue;
            }
            Optional<ReplicaDescriptor> target = r.descriptor().getReplicasList().stream()
                    .filter(x -> x.getNodeId() != nodeId && x.getType() == ReplicaType.VOTER).findFirst();
            if (target.isEmpty()) {
                continue;
            }
            try {
                r.transferLease(target.get().getNodeId());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.info(() -> "r" + r.rangeId + ": lease not moved during drain: " + e.getMessage());
            }
        }
        return leaseCount();
    }

    // ---------------------------------------------------------------------------------------
    // ReplicaHost
    // ---------------------------------------------------------------------------------------

    @Override
    public long nodeId() {
        return nodeId;
    }

    @Override
    public long storeId() {
        return nodeId;
    }

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public MultiRaftDriver driver() {
        return driver;
    }

    @Override
    public HybridClock clock() {
        return clock;
    }

    @Override
    public void updateClock(Timestamp ts) {
        try {
            clock.update(ts);
        } catch (ClockOffsetException e) {
            LOG.warning(e.getMessage());
        }
    }

    @Override
    public StoreConfig config() {
        return config;
    }

    @Override
    public ReplicaMetrics metrics() {
        return metrics;
    }

    @Override
    public OpenTelemetry otel() {
        return otel;
    }

    @Override
    public long raftLeaderNode(long rangeId) {
        return leaderNodes.getOrDefault(rangeId, 0L);
    }

    @Override
    public void splitApplied(Replica left, RangeDescriptor right) {
        long rightId = right.getRangeId();
        Replica existing = replicas.get(rightId);
        if (existing != null && existing.isInitialized()) {
            return; // a snapshot of the right-hand range got here first; it is newer
        }
        long replicaId = RangeStates.replicaOn(right, nodeId).map(ReplicaDescriptor::getReplicaId).orElseThrow();
        boolean campaign = leaderNodes.getOrDefault(left.rangeId, 0L) == nodeId;
        Replica placeholder = existing;
        if (placeholder == null) {
            Replica r = new Replica(this, rightId, RangeStates.read(engine, rightId).orElseThrow());
            Replica raced = replicas.putIfAbsent(rightId, r);
            if (raced == null) {
                host(r, replicaId, true);
                if (campaign) {
                    driver.campaign(rightId);
                }
                return;
            }
            // A placeholder was created (from a message of the right-hand range's leader) since
            // the look above: replace it like one found there.
            if (raced.isInitialized()) {
                return;
            }
            placeholder = raced;
        }
        // A message of the right-hand range's leader arrived before the split applied here and
        // created an uninitialized placeholder (which never votes). Replace it, keeping the
        // highest term it saw; off this worker, since removal runs on the placeholder's worker.
        Replica toReplace = placeholder;
        background.execute(() -> replacePlaceholder(toReplace, rightId, replicaId));
    }

    private void replacePlaceholder(Replica placeholder, long rangeId, long replicaId) {
        try {
            long term = driver.status(rangeId).get(10, TimeUnit.SECONDS).term();
            if (placeholder.isInitialized()) {
                return; // initialized by a snapshot meanwhile: keep it
            }
            driver.removeGroup(rangeId).get(10, TimeUnit.SECONDS);
            Replica fresh = new Replica(this, rangeId, RangeStates.read(engine, rangeId).orElseThrow());
            replicas.put(rangeId, fresh);
            driver.createGroup(rangeId, replicaId, fresh.peers(), fresh, RangeStates.INITIAL_INDEX,
                    RangeStates.INITIAL_TERM, term);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.log(Level.SEVERE, "r" + rangeId + ": could not replace its placeholder replica after a split", e);
        }
    }

    @Override
    public boolean hasInitializedReplica(long rangeId) {
        Replica r = replicas.get(rangeId);
        return r != null && r.isInitialized();
    }

    @Override
    public KvOperations kv() {
        KvOperations k = kv.get();
        if (k == null) {
            throw new Replica.ReplicaError(ErrorKind.NODE_UNAVAILABLE, "n" + nodeId + " is not ready to route requests");
        }
        return k;
    }

    @Override
    public TxnWaiters txnWaiters() {
        return txnWaiters;
    }

    /**
     * Resolves, in the background, the intents a finished transaction left on other ranges. Best
     * effort: an intent left behind (this node stopping, a range unavailable) is resolved later by
     * whoever meets it, after a push finds the record final.
     */
    @Override
    public void resolveIntentsAsync(TxnEvaluation.Finalized f) {
        dev.meridian.proto.kv.TxnMeta meta = dev.meridian.cluster.kv.TxnProtos.toProto(f.txn());
        dev.meridian.proto.kv.TransactionStatus status = f.status() == dev.meridian.storage.mvcc.TxnStatus.COMMITTED
                ? dev.meridian.proto.kv.TransactionStatus.COMMITTED : dev.meridian.proto.kv.TransactionStatus.ABORTED;
        dev.meridian.proto.kv.BatchRequest.Builder b = dev.meridian.proto.kv.BatchRequest.newBuilder();
        for (dev.meridian.storage.mvcc.Span s : f.remoteSpans()) {
            dev.meridian.proto.kv.ResolveIntentRequest.Builder r = dev.meridian.proto.kv.ResolveIntentRequest.newBuilder()
                    .setKey(ByteString.copyFrom(s.start())).setTxn(meta).setStatus(status)
                    .addAllIgnoredSeqnums(f.ignored().stream().map(x -> dev.meridian.proto.kv.SeqRange.newBuilder()
                            .setStart(x.start()).setEnd(x.end()).build()).toList());
            if (s.end() != null && s.end().length > 0) {
                r.setEndKey(ByteString.copyFrom(s.end()));
            }
            b.addRequests(dev.meridian.proto.kv.RequestUnion.newBuilder().setResolveIntent(r));
        }
        KvOperations k = kv.get();
        if (k == null || b.getRequestsCount() == 0) {
            return;
        }
        metrics.asyncResolutions.add(1);
        try {
            k.batch(b.build()).whenComplete((resp, err) -> {
                if (err != null) {
                    metrics.asyncResolutionFailures.add(1);
                    LOG.fine(() -> "resolving intents of " + f.txn().id() + " failed (left for readers to resolve): " + err);
                }
            });
        } catch (RuntimeException e) {
            metrics.asyncResolutionFailures.add(1);
        }
    }

    @Override
    public long allocateRangeId() throws InterruptedException {
        try {
            return kv.get().increment(Keys.RANGE_ID_GEN, 1).get(config.proposalTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new Replica.ReplicaError(ErrorKind.UNAVAILABLE, "could not allocate a range id: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new Replica.ReplicaError(ErrorKind.UNAVAILABLE, "could not allocate a range id in time");
        }
    }

    @Override
    public void updateMeta(RangeDescriptor desc) throws InterruptedException {
        try {
            MetaUpdater.update(kv.get(), desc, config.proposalTimeout());
            metaWritten.merge(desc.getRangeId(), desc.getGeneration(), Math::max);
        } catch (ExecutionException e) {
            throw new Replica.ReplicaError(ErrorKind.UNAVAILABLE, "meta update of r" + desc.getRangeId() + ": "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new Replica.ReplicaError(ErrorKind.UNAVAILABLE, "meta update of r" + desc.getRangeId() + " timed out");
        }
    }

    /** Why the store stopped by itself (a failed disk write), or null. */
    public Throwable failure() {
        return driver.failure();
    }

    @Override
    public void close() {
        background.shutdownNow();
        driver.close();
        for (Replica r : replicas.values()) {
            r.destroy();
        }
    }
}
