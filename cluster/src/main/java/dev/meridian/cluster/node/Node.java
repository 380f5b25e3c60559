package dev.meridian.cluster.node;

import dev.meridian.cluster.keys.Keys;
import dev.meridian.cluster.kv.DistSender;
import dev.meridian.cluster.kv.DistSenderConfig;
import dev.meridian.cluster.kv.KvOperations;
import dev.meridian.cluster.raft.grpc.GrpcRaftTransport;
import dev.meridian.cluster.raft.grpc.GrpcRaftTransportConfig;
import dev.meridian.cluster.replica.Store;
import dev.meridian.cluster.time.ClockOffsets;
import dev.meridian.cluster.time.ClockSkewException;
import dev.meridian.cluster.time.HybridClock;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.FirstRangeResponse;
import dev.meridian.proto.kv.JoinRequest;
import dev.meridian.proto.kv.JoinResponse;
import dev.meridian.proto.kv.KeyValue;
import dev.meridian.proto.kv.NodeDescriptor;
import dev.meridian.proto.kv.NodeGrpc;
import dev.meridian.proto.kv.RangeInfo;
import dev.meridian.proto.replication.RangeState;
import dev.meridian.proto.replication.StoreIdent;
import dev.meridian.storage.Engine;
import dev.meridian.storage.encoding.KeyEncoding;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.OpenTelemetry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Meridian node: its engine, its gRPC server (Raft transport, KV service, node service on
 * one port), its store of replicas and its routing layer. A node on a store without an
 * identity waits: either {@code meridian init} bootstraps a cluster on it, or it joins one of
 * its {@code --join} addresses and receives a node id and the cluster id.
 *
 * <p>Thread-safe. Lifecycle: {@link #start} → (waiting →) running → draining → closed.
 */
public final class Node implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Node.class.getName());
    private static final Duration RPC_TIMEOUT = Duration.ofSeconds(10);
    /** How often the clock offset to each peer is measured, how long one ping may take, and when a measurement is too old to count. */
    static final Duration CLOCK_PING_INTERVAL = Duration.ofSeconds(1);
    private static final Duration CLOCK_PING_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CLOCK_STALE_AFTER = Duration.ofSeconds(10);

    public enum State { WAITING, RUNNING, DRAINING, STOPPED }

    private final NodeConfig config;
    private final OpenTelemetry otel;
    private final Engine engine;
    private final HybridClock clock;
    private final NodeDirectory directory = new NodeDirectory();
    private final NodeChannels channels = new NodeChannels();
    private final ExecutorService kvExecutor;
    private final ScheduledExecutorService scheduler;
    private final ScheduledExecutorService heartbeats;
    private final GrpcRaftTransport transport;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The address others reach this node at: the configured one, with the bound port if 0 was asked for. */
    private final String advertise;
    private final AtomicBoolean directoryRefreshQueued = new AtomicBoolean();
    private volatile State state = State.WAITING;
    private volatile StoreIdent ident;
    private volatile ClockMonitor clockMonitor;
    private volatile Store store;
    private volatile DistSender distSender;
    private volatile Throwable failure;

    private Node(NodeConfig config, OpenTelemetry otel) throws IOException {
        this.config = config;
        this.otel = otel;
        this.clock = new HybridClock(config.clock(), config.store().maxOffset(), otel);
        this.engine = config.engines().open(config.storeDir(), config.cacheBytes(), otel);
        AtomicInteger n = new AtomicInteger();
        this.kvExecutor = new ThreadPoolExecutor(8, 512, 30, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(),
                r -> daemon(r, "meridian-kv-" + n.incrementAndGet()), new ThreadPoolExecutor.CallerRunsPolicy());
        this.scheduler = Executors.newScheduledThreadPool(2, r -> daemon(r, "meridian-node-maintenance"));
        // Periodic work that never blocks (clock pings, waking leaderless groups) gets a thread of
        // its own: maintenance can wait seconds on ranges that only this work brings back.
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "meridian-node-heartbeat"));
        GrpcRaftTransport t;
        try {
            t = GrpcRaftTransport.create(GrpcRaftTransportConfig.defaults(config.listenAddress()), directory, otel,
                    List.of(new KvService(this), new NodeService(this)));
        } catch (IOException | RuntimeException e) {
            engine.close();
            kvExecutor.shutdownNow();
            scheduler.shutdownNow();
            heartbeats.shutdownNow();
            throw e;
        }
        this.transport = t;
        InetSocketAddress bound = t.localAddress();
        this.advertise = config.listenAddress().getPort() == 0
                && config.advertiseAddress().equals(config.listenAddress().getHostString() + ":0")
                ? config.listenAddress().getHostString() + ":" + bound.getPort() : config.advertiseAddress();
        t.advertise(advertise);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Opens the store and starts serving. A store with an identity resumes at once (after
     * checking, where a join address answers, that it belongs to the same cluster); one without
     * waits for {@code init} or joins through {@code config.join()} in the background.
     *
     * @throws IOException if the listen address cannot be bound
     * @throws dev.meridian.storage.StoreOpenException if the store cannot be opened
     * @throws NodeStartException if the store belongs to another cluster than the join addresses
     */
    public static Node start(NodeConfig config, OpenTelemetry otel) throws IOException {
        Node node = new Node(config, otel);
        try {
            Optional<StoreIdent> existing = Store.readIdent(node.engine);
            if (existing.isPresent()) {
                node.checkSameCluster(existing.get());
                // Before the restart this node may have served reads at timestamps up to
                // max-offset ahead of its physical clock; its new clock must pass them first.
                Thread.sleep(config.store().maxOffset());
                node.run(existing.get());
            } else if (!config.join().isEmpty()) {
                node.scheduler.execute(node::joinLoop);
            }
        } catch (InterruptedException e) {
            node.close();
            Thread.currentThread().interrupt();
            throw new NodeStartException("interrupted while starting");
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    // ---------------------------------------------------------------------------------------
    // Identity: init and join
    // ---------------------------------------------------------------------------------------

    /** Bootstraps a new cluster on this node (the Init RPC). */
    synchronized InitOutcome init() {
        if (ident != null || Store.readIdent(engine).isPresent()) {
            return new InitOutcome(false, "cluster has already been initialized (cluster " + clusterIdOrUnknown()
                    + ", this is node " + nodeId() + ")", ident);
        }
        String clusterId = UUID.randomUUID().toString();
        NodeDescriptor me = descriptor(1);
        Store.bootstrap(engine, clusterId, me, clock.now());
        StoreIdent id = Store.readIdent(engine).orElseThrow();
        run(id);
        LOG.info(() -> "bootstrapped cluster " + clusterId + " as node 1");
        return new InitOutcome(true, "", id);
    }

    record InitOutcome(boolean ok, String refusal, StoreIdent ident) {
    }

    private void joinLoop() {
        int attempt = 0;
        while (state == State.WAITING && ident == null) {
            for (String target : config.join()) {
                if (ident != null || state != State.WAITING) {
                    return;
                }
                if (target.equals(advertise)) {
                    continue;
                }
                try {
                    JoinResponse resp = NodeGrpc.newBlockingStub(channels.get(target))
                            .withDeadlineAfter(RPC_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                            .join(JoinRequest.newBuilder().setNode(descriptor(0)).build());
                    joined(resp);
                    return;
                } catch (StatusRuntimeException e) {
                    int a = attempt;
                    LOG.log(a % 20 == 0 ? Level.INFO : Level.FINE, () -> "join through " + target + ": " + e.getStatus());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "join through " + target + " failed", e);
                }
            }
            attempt++;
            sleep(Duration.ofMillis(Math.min(1000, 100L * attempt)));
        }
    }

    private synchronized void joined(JoinResponse resp) {
        if (ident != null) {
            return;
        }
        StoreIdent id = StoreIdent.newBuilder().setClusterId(resp.getClusterId()).setNodeId(resp.getNodeId())
                .setStoreId(resp.getNodeId()).build();
        Store.writeIdent(engine, id);
        directory.putAll(resp.getNodesList());
        run(id);
        LOG.info(() -> "joined cluster " + resp.getClusterId() + " as node " + resp.getNodeId());
    }

    /** Serves the Join RPC: allocates a node id and records the newcomer's descriptor. */
    JoinResponse join(JoinRequest req) throws InterruptedException {
        if (state != State.RUNNING) {
            throw Status.UNAVAILABLE.withDescription("node " + advertise + " is not part of a cluster yet")
                    .asRuntimeException();
        }
        StoreIdent mine = ident;
        if (!req.getClusterId().isEmpty() && !req.getClusterId().equals(mine.getClusterId())) {
            throw Status.FAILED_PRECONDITION.withDescription("this node belongs to cluster " + mine.getClusterId()
                    + ", not " + req.getClusterId()).asRuntimeException();
        }
        NodeDescriptor d = req.getNode();
        long nodeId = d.getNodeId();
        try {
            if (nodeId == 0) {
                nodeId = kvOrFail().increment(Keys.NODE_ID_GEN, 1).get(RPC_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            }
            NodeDescriptor withId = d.toBuilder().setNodeId(nodeId).build();
            kvOrFail().put(Keys.nodeDescriptorKey(nodeId), withId.toByteArray()).get(RPC_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            directory.put(withId);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw Status.UNAVAILABLE.withDescription("could not register the node: " + e).asRuntimeException();
        }
        return JoinResponse.newBuilder().setClusterId(mine.getClusterId()).setNodeId(nodeId)
                .addAllNodes(directory.all()).build();
    }

    /** Refuses to run a store of another cluster: asks the join addresses that answer. */
    private void checkSameCluster(StoreIdent id) {
        for (String target : config.join()) {
            if (target.equals(advertise)) {
                continue;
            }
            try {
                JoinResponse resp = NodeGrpc.newBlockingStub(channels.get(target)).withDeadlineAfter(2, TimeUnit.SECONDS)
                        .join(JoinRequest.newBuilder().setClusterId(id.getClusterId())
                                .setNode(descriptor(id.getNodeId())).build());
                // A restarted node knows no addresses yet, and needs them to reach anything.
                directory.putAll(resp.getNodesList());
                return;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
                    throw new NodeStartException("the store in " + config.storeDir() + " belongs to cluster "
                            + id.getClusterId() + " (node " + id.getNodeId() + "), but " + target + " answers: "
                            + e.getStatus().getDescription());
                }
                // Down or not ready: another join address may answer; if none does, start anyway.
            }
        }
    }

    private NodeDescriptor descriptor(long nodeId) {
        return NodeDescriptor.newBuilder().setNodeId(nodeId).setAddress(advertise)
                .setHttpAddress(config.httpAddress()).addAllLocality(config.locality())
                .setBuildVersion(Node.class.getPackage().getImplementationVersion() == null ? "dev"
                        : Node.class.getPackage().getImplementationVersion())
                .build();
    }

    // ---------------------------------------------------------------------------------------
    // Running
    // ---------------------------------------------------------------------------------------

    private synchronized void run(StoreIdent id) {
        this.ident = id;
        NodeDescriptor me = descriptor(id.getNodeId());
        directory.put(me);
        NodeRangeTransport rt = new NodeRangeTransport(this, channels, kvExecutor, RPC_TIMEOUT, config.faults());
        this.distSender = new DistSender(rt, DistSenderConfig.defaults(), otel);
        this.store = new Store(id.getNodeId(), engine, new FaultyRaftTransport(transport, config.faults()), config.driver(),
                config.store(), clock,
                () -> distSender, otel);
        state = State.RUNNING;
        long every = config.maintenanceInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::maintain, every, every, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::refreshDirectory, 0, 2, TimeUnit.SECONDS);
        this.clockMonitor = new ClockMonitor(this::nodeId, directory, channels, config.clock(),
                new ClockOffsets(config.store().maxOffset(), CLOCK_STALE_AFTER), CLOCK_PING_TIMEOUT,
                verdict -> fail(new ClockSkewException(verdict), "its clock is off from most of the cluster: "
                        + verdict.explanation() + "; fix the clock (NTP/chrony), then restart the node"), otel);
        long ping = CLOCK_PING_INTERVAL.toMillis();
        heartbeats.scheduleWithFixedDelay(clockMonitor::round, ping, ping, TimeUnit.MILLISECONDS);
        heartbeats.scheduleWithFixedDelay(this::wakeLeaderless, every, every, TimeUnit.MILLISECONDS);
        // Register (or update) this node's address, so that others can reach it after a move.
        scheduler.execute(() -> registerSelf(me));
    }

    private void registerSelf(NodeDescriptor me) {
        for (int attempt = 0; attempt < 50 && state == State.RUNNING; attempt++) {
            try {
                distSender.put(Keys.nodeDescriptorKey(me.getNodeId()), me.toByteArray()).get(RPC_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                sleep(Duration.ofMillis(200));
            }
        }
    }

    private void wakeLeaderless() {
        Store s = store;
        if (s != null && state == State.RUNNING) {
            try {
                s.wakeLeaderless();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "waking leaderless ranges failed", e);
            }
        }
    }

    private void maintain() {
        Store s = store;
        if (s == null || state != State.RUNNING) {
            return;
        }
        Throwable f = s.failure();
        if (f != null) {
            fail(f);
            return;
        }
        try {
            s.maintain(directory.ids());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "maintenance round failed", e);
        }
    }

    private void fail(Throwable f) {
        fail(f, "its store failed (" + f + "); the store on disk is intact up to the last acknowledged write");
    }

    private synchronized void fail(Throwable f, String why) {
        if (failure == null) {
            failure = f;
            LOG.log(Level.SEVERE, "node " + nodeId() + " stops: " + why, f);
            // On a thread of its own: close() stops the scheduler this runs on.
            Thread stopper = new Thread(this::close, "meridian-node-stop");
            stopper.setDaemon(true);
            stopper.start();
        }
    }

    void refreshDirectorySoon() {
        if (directoryRefreshQueued.compareAndSet(false, true)) {
            scheduler.execute(() -> {
                directoryRefreshQueued.set(false);
                refreshDirectory();
            });
        }
    }

    private void refreshDirectory() {
        DistSender ds = distSender;
        if (ds == null || state == State.STOPPED) {
            return;
        }
        try {
            List<KeyValue> rows = ds.scan(Keys.NODE_DESC_PREFIX, KeyEncoding.prefixEnd(Keys.NODE_DESC_PREFIX), 0)
                    .get(RPC_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            for (KeyValue kv : rows) {
                directory.put(NodeDescriptor.parseFrom(kv.getValue()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.fine(() -> "directory refresh: " + e);
            askPeersForNodes();
        }
    }

    /** The directory from any node that answers (when this node cannot read the system keys yet). */
    private void askPeersForNodes() {
        List<String> targets = new java.util.ArrayList<>(config.join());
        directory.all().stream().map(NodeDescriptor::getAddress).filter(a -> !a.equals(advertise)).forEach(targets::add);
        for (String target : targets) {
            try {
                directory.putAll(NodeGrpc.newBlockingStub(channels.get(target)).withDeadlineAfter(2, TimeUnit.SECONDS)
                        .nodes(dev.meridian.proto.kv.NodesRequest.getDefaultInstance()).getNodesList());
                return;
            } catch (RuntimeException e) {
                // try the next
            }
        }
    }

    /** A batch for this node's store (from the KV service or this node's DistSender). Blocks. */
    BatchResponse serveLocal(BatchRequest request) {
        Store s = store;
        if (s == null || state == State.STOPPED) {
            return BatchResponse.newBuilder().setError(dev.meridian.proto.kv.Error.newBuilder()
                    .setKind(ErrorKind.NODE_UNAVAILABLE).setIndex(-1)
                    .setMessage("node " + advertise + " is " + state.name().toLowerCase(java.util.Locale.ROOT)))
                    .build();
        }
        return s.send(request);
    }

    FirstRangeResponse localFirstRange() {
        Store s = store;
        if (s == null) {
            return FirstRangeResponse.getDefaultInstance();
        }
        Optional<RangeState> r1 = s.firstRange();
        return r1.map(st -> FirstRangeResponse.newBuilder().setRangeDescriptor(st.getRangeDescriptor()).setLease(st.getLease()).build())
                .orElse(FirstRangeResponse.getDefaultInstance());
    }

    // ---------------------------------------------------------------------------------------
    // Drain and close
    // ---------------------------------------------------------------------------------------

    /**
     * Moves this node's leases to other replicas (waiting up to {@code timeout}), then stops
     * taking new ones; requests already running finish. Returns the leases still held.
     */
    public long drain(Duration timeout) {
        Store s = store;
        if (s == null) {
            return 0;
        }
        synchronized (this) {
            // A stopped node has nothing to drain, and must stay stopped: close() would run again.
            if (state == State.STOPPED) {
                return 0;
            }
            state = State.DRAINING;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long left = s.drainLeases();
        while (left > 0 && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(100));
            left = s.drainLeases();
        }
        return left;
    }

    @Override
    public void close() {
        boolean closing;
        synchronized (this) {
            closing = state == State.STOPPED;
            state = State.STOPPED;
        }
        if (closing) {
            // Another thread is closing (a failure stops the node on a thread of its own):
            // return only once the store is closed, so that the caller may reopen it.
            awaitClosedBy(Thread.currentThread());
            return;
        }
        scheduler.shutdownNow();
        heartbeats.shutdownNow();
        transport.close();
        kvExecutor.shutdown();
        try {
            kvExecutor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Store s = store;
        if (s != null) {
            s.close();
        }
        channels.close();
        engine.close();
        stopped.countDown();
    }

    private void awaitClosedBy(Thread caller) {
        boolean interrupted = false;
        while (stopped.getCount() > 0) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            caller.interrupt();
        }
    }

    /** Blocks until the node has stopped (closed, or failed). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    // ---------------------------------------------------------------------------------------
    // Accessors
    // ---------------------------------------------------------------------------------------

    public State state() {
        return state;
    }

    /** This node's id, 0 while it waits to join or be initialized. */
    public long nodeId() {
        StoreIdent id = ident;
        return id == null ? 0 : id.getNodeId();
    }

    public Optional<String> clusterId() {
        StoreIdent id = ident;
        return id == null ? Optional.empty() : Optional.of(id.getClusterId());
    }

    private String clusterIdOrUnknown() {
        return clusterId().orElse(Store.readIdent(engine).map(StoreIdent::getClusterId).orElse("?"));
    }

    /** Why the node stopped by itself, or null. */
    public Throwable failure() {
        return failure;
    }

    /** The bound gRPC address (the real port when 0 was asked for). */
    public InetSocketAddress listenAddress() {
        return transport.localAddress();
    }

    /** The address other nodes and clients use for this node. */
    public String advertiseAddress() {
        return advertise;
    }

    public NodeDirectory directory() {
        return directory;
    }

    List<String> joinAddresses() {
        return config.join();
    }

    /** The cluster's KV API as this node routes it; empty until the node has an identity. */
    public Optional<KvOperations> kv() {
        return Optional.ofNullable(distSender);
    }

    private KvOperations kvOrFail() {
        DistSender ds = distSender;
        if (ds == null) {
            throw new IllegalStateException("node has no identity yet");
        }
        return ds;
    }

    /** The store, once the node has an identity. */
    public Optional<Store> store() {
        return Optional.ofNullable(store);
    }

    /** The ranges this node has replicas of, for /_status/ranges. */
    public List<RangeInfo> ranges() {
        Store s = store;
        return s == null ? List.of() : s.rangeInfos();
    }

    /** This node's physical clock reading (what clock offset pings compare). */
    long physicalNanos() {
        return config.clock().nowNanos();
    }

    /** The latest measured offset of {@code peer}'s clock to this node's, if the node runs and has measured it. */
    public Optional<ClockOffsets.Measurement> clockOffsetTo(long peer) {
        ClockMonitor m = clockMonitor;
        return m == null ? Optional.empty() : m.offsetTo(peer);
    }

    public HybridClock clock() {
        return clock;
    }


    ExecutorService kvExecutor() {
        return kvExecutor;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
