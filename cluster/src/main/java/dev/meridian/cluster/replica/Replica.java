package dev.meridian.cluster.replica;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.cluster.kv.BatchRequests;
import dev.meridian.cluster.raft.driver.Peer;
import dev.meridian.cluster.raft.driver.ProposalException;
import dev.meridian.cluster.raft.driver.StateMachine;
import dev.meridian.cluster.replica.latch.LatchGuard;
import dev.meridian.cluster.replica.latch.LatchSpan;
import dev.meridian.cluster.replica.lease.LeaseStatus;
import dev.meridian.cluster.replica.lease.Leases;
import dev.meridian.cluster.replica.latch.SpanLatchManager;
import dev.meridian.cluster.replica.tscache.TimestampCache;
import dev.meridian.cluster.kv.TxnProtos;
import dev.meridian.proto.kv.ObservedTimestamp;
import dev.meridian.proto.kv.RetryReason;
import dev.meridian.proto.kv.Transaction;
import dev.meridian.proto.kv.TransactionStatus;
import dev.meridian.storage.mvcc.TxnMeta;
import java.util.Optional;
import java.util.UUID;
import dev.meridian.cluster.time.Timestamps;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.Error;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.Lease;
import dev.meridian.proto.kv.RangeDescriptor;
import dev.meridian.proto.kv.ReplicaDescriptor;
import dev.meridian.proto.kv.ReplicaType;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.replication.ChangeReplicasTrigger;
import dev.meridian.proto.replication.RaftCommand;
import dev.meridian.proto.replication.RangeSnapshot;
import dev.meridian.proto.replication.RangeState;
import dev.meridian.proto.replication.SnapshotEntry;
import dev.meridian.proto.replication.SplitTrigger;
import dev.meridian.storage.BatchOp;
import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.WriteBatch;
import dev.meridian.storage.WriteBatchCodec;
import dev.meridian.storage.mvcc.MvccKeyCodec;
import dev.meridian.storage.mvcc.MvccStats;
import dev.meridian.storage.mvcc.Timestamp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One replica of one range on this store: the Raft group's state machine, and, on the
 * leaseholder, the evaluator of the range's requests.
 *
 * <p>Requests are evaluated on the proposer (the leaseholder): under span latches, a batch is
 * evaluated into an engine write batch and an MVCC statistics delta, which are proposed as one
 * {@link RaftCommand}; every replica applies that command unchanged, together with the new
 * {@link RangeState} (applied index, lease, descriptor, statistics), in one engine write. Reads
 * are served from the leaseholder's engine without a Raft round.
 *
 * <p>Two checks at apply time keep a command from applying out of turn, decided identically on
 * every replica: the lease sequence it was evaluated under must still be the range's lease, and
 * its {@code max_lease_index} must be above the range's {@code lease_applied_index}. A command
 * refused by either check applies as a no-op and its proposer retries (a definite error: it
 * never applied anywhere).
 *
 * <p>Threads: {@link #send} runs on the caller's thread and blocks (latches, the Raft round);
 * the {@link StateMachine} methods run on the driver's worker that holds the group, one at a
 * time. The range state is an immutable value replaced on every apply.
 */
public final class Replica implements StateMachine {

    private final ReplicaHost host;
    private final Engine engine;
    final long rangeId;
    private final SpanLatchManager latches;
    private final Map<Long, CompletableFuture<ApplyResult>> inflight = new ConcurrentHashMap<>();
    private final AtomicLong proposalIds;
    private final Object proposeLock = new Object();
    /** Serializes the admin requests (splits, membership changes) this leaseholder runs. */
    final java.util.concurrent.locks.ReentrantLock adminLock = new java.util.concurrent.locks.ReentrantLock();
    private long lastMaxLeaseIndex;
    private volatile RangeState state;
    private volatile boolean destroyed;
    /** Set while this holder transfers its lease away: it serves nothing from then on. */
    private volatile Lease transferring;
    private CompletableFuture<ApplyResult> pendingLeaseRequest;
    /** Reads this leaseholder served, so that no write lands below them (guarded by itself). */
    private final TimestampCache tscache;
    /** The most intervals the timestamp cache holds before it evicts into its low-water mark. */
    private static final long TSCACHE_ENTRIES = 100_000;

    /** What applying a command meant for its proposer. */
    record ApplyResult(boolean applied, String refusal) {
        static final ApplyResult OK = new ApplyResult(true, null);
    }

    Replica(ReplicaHost host, long rangeId, RangeState initial) {
        this.host = host;
        this.engine = host.engine();
        this.rangeId = rangeId;
        this.state = initial;
        this.latches = new SpanLatchManager(host.otel());
        this.proposalIds = new AtomicLong(host.nodeId() << 40);
        // A replica created now knows nothing of the reads served before: by the range it split
        // from (on this node, below this clock), or by this node before a restart (a restarted
        // node waits out max-offset before it serves, so its clock is past those reads).
        this.tscache = new TimestampCache(host.clock().now(), TSCACHE_ENTRIES);
    }

    public long rangeId() {
        return rangeId;
    }

    /** The current range state (immutable). */
    public RangeState state() {
        return state;
    }

    public RangeDescriptor descriptor() {
        return state.getRangeDescriptor();
    }

    public boolean isInitialized() {
        return state.hasRangeDescriptor();
    }

    /** This store's replica id in the range, 0 while uninitialized and unknown. */
    public long replicaId() {
        return RangeStates.replicaOn(descriptor(), host.nodeId()).map(ReplicaDescriptor::getReplicaId).orElse(0L);
    }

    void destroy() {
        destroyed = true;
        for (CompletableFuture<ApplyResult> f : inflight.values()) {
            f.completeExceptionally(new ProposalException(ProposalException.Reason.DRIVER_CLOSED, rangeId, 0, "replica removed"));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Serving requests
    // ---------------------------------------------------------------------------------------

    /**
     * Evaluates a batch for this range. Blocks for latches and the Raft round; never throws:
     * failures come back as {@link BatchResponse#getError()}.
     */
    /**
     * The kind to report an unexpected failure with: a write may have been proposed before it,
     * so its outcome is unknown (AMBIGUOUS_RESULT); a read changed nothing (INTERNAL).
     */
    public static ErrorKind internalKind(BatchRequest request) {
        return BatchRequests.anyWrite(request.getRequestsList()) ? ErrorKind.AMBIGUOUS_RESULT : ErrorKind.INTERNAL;
    }

    public BatchResponse send(BatchRequest request) {
        long start = System.nanoTime();
        BatchResponse resp;
        try {
            resp = serve(request);
        } catch (ReplicaError e) {
            resp = BatchResponse.newBuilder().setError(e.error).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            resp = error(ErrorKind.NODE_UNAVAILABLE, "interrupted");
        } catch (RuntimeException e) {
            host.metrics().internalErrors.add(1);
            resp = error(internalKind(request), "r" + rangeId + ": " + e);
        }
        host.metrics().requestDone(request, resp, System.nanoTime() - start);
        return resp.toBuilder().setNow(Timestamps.toProto(host.clock().now())).build();
    }

    private BatchResponse serve(BatchRequest request) throws InterruptedException {
        if (destroyed || !isInitialized()) {
            throw new ReplicaError(ErrorKind.RANGE_NOT_FOUND, "r" + rangeId + " is not on node " + host.nodeId());
        }
        List<RequestUnion> requests = request.getRequestsList();
        if (requests.isEmpty()) {
            throw new ReplicaError(ErrorKind.INVALID_ARGUMENT, "empty batch");
        }
        if (request.getHeader().hasNow()) {
            host.updateClock(Timestamps.fromProto(request.getHeader().getNow()));
        }
        if (requests.stream().anyMatch(Evaluation::isAdmin)) {
            if (requests.size() != 1) {
                throw new ReplicaError(ErrorKind.INVALID_ARGUMENT, "an admin request must be alone in its batch");
            }
            return ReplicaAdmin.run(this, requests.getFirst());
        }
        Transaction txn = request.getHeader().hasTxn() ? checkTxn(request.getHeader().getTxn()) : null;
        List<LatchSpan> spans = spansOf(requests);
        checkInRange(spans);
        boolean write = requests.stream().anyMatch(Evaluation::isWrite);
        Lease lease = leaseForServing();
        Timestamp observed = host.clock().now();
        Evaluation.Context ctx = null;
        // Write pipelining: a transaction's plain writes answer once evaluated and proposed; the
        // latches stay held until the command applies, so nothing evaluates on a state without it.
        boolean async = request.getHeader().getAsyncConsensus() && txn != null && write
                && requests.stream().allMatch(r -> switch (r.getValueCase()) {
                    case PUT, DELETE, CONDITIONAL_PUT, INCREMENT -> true;
                    default -> false;
                });
        for (int attempt = 0; ; attempt++) {
            Evaluation.Outcome outcome;
            LatchGuard guard;
            try {
                guard = latches.acquire(spans, host.config().latchTimeout());
            } catch (TimeoutException e) {
                throw new ReplicaError(ErrorKind.UNAVAILABLE, "r" + rangeId + ": waited too long for conflicting requests");
            }
            boolean handedOff = false;
            try {
                // The range may have split, or the lease moved, while we waited.
                checkInRange(spans);
                lease = leaseForServing();
                ctx = context(txn, lease, ctx);
                if (write) {
                    ctx = ctx.withWriteTs(aboveReads(requests, ctx));
                }
                Evaluated ev = write ? evaluateWrite(requests, lease, ctx, async ? guard : null) : evaluateRead(requests, ctx);
                handedOff = ev.latchesHandedOff();
                outcome = ev.outcome();
                ctx = ev.ctx();
                preventWrites(ev.txns().prevented());
                if (ev.txns().recovered() != null && !ev.txns().recovered().remoteSpans().isEmpty()) {
                    host.resolveIntentsAsync(ev.txns().recovered());
                }
                if (outcome instanceof Evaluation.Outcome.Done done) {
                    if (write && done.finalized() != null && !done.finalized().remoteSpans().isEmpty()) {
                        host.resolveIntentsAsync(done.finalized());
                    }
                    BatchResponse.Builder resp = BatchResponse.newBuilder().addAllResponses(done.responses());
                    if (txn != null) {
                        resp.setTxn(updated(txn, ctx, observed, done));
                    }
                    return resp.build();
                }
                if (outcome instanceof Evaluation.Outcome.WriteTooOld w) {
                    outcome = new Evaluation.Outcome.Failed(Error.newBuilder().setKind(ErrorKind.UNAVAILABLE).setIndex(-1)
                            .setMessage("r" + rangeId + ": writes kept meeting newer versions (last at " + w.retryAt() + ")").build());
                }
            } finally {
                if (!handedOff) {
                    guard.close();
                }
            }
            switch (outcome) {
                case Evaluation.Outcome.Conflicts c -> {
                    if (attempt >= MAX_CONFLICT_ROUNDS) {
                        throw new ReplicaError(ErrorKind.UNAVAILABLE, "r" + rangeId + ": intents kept blocking the request");
                    }
                    // Latches released: push the holders, resolve what they left, evaluate again.
                    new ConflictResolver(this, txn, ctx).handle(c);
                }
                case Evaluation.Outcome.Uncertain u -> throw new ReplicaError(txnError(Error.newBuilder()
                        .setKind(ErrorKind.READ_WITHIN_UNCERTAINTY).setIndex(-1)
                        .setRetryReason(RetryReason.RETRY_UNCERTAINTY)
                        .setExistingTimestamp(Timestamps.toProto(u.existing()))
                        .setMessage("r" + rangeId + ": a value on " + Keys.pretty(u.key()) + " at " + u.existing()
                                + " is within the read's uncertainty window"), txn, ctx));
                case Evaluation.Outcome.Failed f -> throw new ReplicaError(txnError(f.error().toBuilder(), txn, ctx));
                default -> throw new IllegalStateException("unexpected outcome " + outcome);
            }
        }
    }

    /** Rounds of push-and-retry one request makes before it gives up with UNAVAILABLE. */
    private static final int MAX_CONFLICT_ROUNDS = 200;

    /** A transaction header that evaluation can use, or INVALID_ARGUMENT. */
    private static Transaction checkTxn(Transaction t) {
        try {
            TxnProtos.toMvcc(t.getMeta());
        } catch (IllegalArgumentException e) {
            throw new ReplicaError(ErrorKind.INVALID_ARGUMENT, "bad transaction: " + e.getMessage());
        }
        if (!t.hasReadTimestamp()) {
            throw new ReplicaError(ErrorKind.INVALID_ARGUMENT, "bad transaction: no read timestamp");
        }
        return t;
    }

    /**
     * The timestamps of this evaluation. Non-transactional: the leaseholder's clock (never below
     * the lease start). Transactional: the transaction's read and write timestamps, with the
     * uncertainty limit narrowed to what this node's clock read when the transaction first came
     * here (nothing written here above that reading can have preceded the transaction), but never
     * below the lease start (an earlier holder's clock gave no such promise).
     */
    private Evaluation.Context context(Transaction txn, Lease lease, Evaluation.Context previous) {
        if (txn == null) {
            Timestamp ts = host.clock().now();
            Timestamp start = Timestamps.fromProto(lease.getStart());
            return Evaluation.Context.nonTxn(ts.less(start) ? start : ts);
        }
        TxnMeta meta = TxnProtos.toMvcc(txn.getMeta()).withAnchorKey(txn.getMeta().getAnchorKey().toByteArray());
        if (previous != null && previous.txn() != null && meta.writeTimestamp().less(previous.writeTs())) {
            meta = meta.withWriteTimestamp(previous.writeTs()); // pushed by an earlier round
        }
        Timestamp read = Timestamps.fromProto(txn.getReadTimestamp());
        Timestamp limit = txn.hasGlobalUncertaintyLimit() ? Timestamps.fromProto(txn.getGlobalUncertaintyLimit()) : read;
        Optional<Timestamp> obs = TxnProtos.observed(txn, host.nodeId());
        if (obs.isPresent()) {
            Timestamp local = obs.get().forward(Timestamps.fromProto(lease.getStart()));
            limit = local.less(limit) ? local : limit;
        }
        return new Evaluation.Context(read, meta.writeTimestamp(), limit, meta, TxnProtos.ignored(txn.getIgnoredSeqnumsList()));
    }

    /** The transaction as this evaluation leaves it: pushed write timestamp, this node's clock observed. */
    private Transaction updated(Transaction txn, Evaluation.Context ctx, Timestamp observed, Evaluation.Outcome.Done done) {
        Transaction.Builder b = txn.toBuilder();
        b.getMetaBuilder().setWriteTimestamp(Timestamps.toProto(ctx.writeTs()));
        if (TxnProtos.observed(txn, host.nodeId()).isEmpty()) {
            b.addObservedTimestamps(ObservedTimestamp.newBuilder().setNodeId(host.nodeId()).setTimestamp(Timestamps.toProto(observed)));
        }
        if (done.finalized() != null) {
            b.setStatus(done.finalized().status() == dev.meridian.storage.mvcc.TxnStatus.COMMITTED
                    ? TransactionStatus.COMMITTED : TransactionStatus.ABORTED);
            b.getMetaBuilder().setWriteTimestamp(Timestamps.toProto(done.finalized().txn().writeTimestamp()));
        }
        return b.build();
    }

    /** {@code e} with the transaction attached (a retry error moves its write timestamp). */
    private static Error txnError(Error.Builder e, Transaction txn, Evaluation.Context ctx) {
        if (txn == null) {
            return e.build();
        }
        Transaction.Builder t = txn.toBuilder();
        if (ctx != null) {
            t.getMetaBuilder().setWriteTimestamp(Timestamps.toProto(ctx.writeTs()));
        }
        if (e.getKind() == ErrorKind.TRANSACTION_RETRY && e.hasExistingTimestamp()) {
            Timestamp to = Timestamps.fromProto(e.getExistingTimestamp());
            if (Timestamps.fromProto(t.getMeta().getWriteTimestamp()).less(to)) {
                t.getMetaBuilder().setWriteTimestamp(e.getExistingTimestamp());
            }
        }
        return e.setTxn(t).build();
    }

    /**
     * The write timestamp moved above every read the timestamp cache remembers on the keys this
     * batch writes (other than the writer's own): a write may never slip under a served read.
     */
    private Timestamp aboveReads(List<RequestUnion> requests, Evaluation.Context ctx) {
        Timestamp ts = ctx.writeTs();
        UUID me = ctx.txn() == null ? null : ctx.txn().id();
        synchronized (tscache) {
            for (RequestUnion r : requests) {
                TimestampCache.Entry e = switch (r.getValueCase()) {
                    case PUT, DELETE, CONDITIONAL_PUT, INCREMENT -> tscache.max(BatchRequests.pointKey(r));
                    default -> null;
                };
                if (e != null && ts.lessEq(e.ts()) && (me == null || !me.equals(e.txn()))) {
                    ts = e.ts().next();
                }
            }
        }
        return ts;
    }

    private void recordReads(List<dev.meridian.storage.mvcc.Span> spans, Evaluation.Context ctx) {
        if (spans.isEmpty()) {
            return;
        }
        UUID me = ctx.txn() == null ? null : ctx.txn().id();
        synchronized (tscache) {
            for (dev.meridian.storage.mvcc.Span s : spans) {
                tscache.add(s.start(), s.end(), ctx.readTs(), me);
            }
        }
    }

    private Evaluated evaluateRead(List<RequestUnion> requests, Evaluation.Context ctx) {
        TxnEvaluation txns = txnEvaluation();
        Evaluation.Outcome o = Evaluation.read(engine, requests, ctx, txns);
        if (o instanceof Evaluation.Outcome.Done d) {
            recordReads(d.readSpans(), ctx);
        }
        return new Evaluated(o, ctx, txns, false);
    }

    /** Keys where a QueryIntent found a transaction's write missing: the write may not land at or below the timestamp. */
    private void preventWrites(List<TxnEvaluation.Prevented> prevented) {
        if (prevented.isEmpty()) {
            return;
        }
        synchronized (tscache) {
            for (TxnEvaluation.Prevented p : prevented) {
                tscache.add(p.key(), null, p.ts(), null);
            }
        }
    }

    private TxnEvaluation txnEvaluation() {
        RangeDescriptor d = descriptor();
        return new TxnEvaluation(host.clock().now(), TXN_EXPIRY, d.getStartKey().toByteArray(), d.getEndKey().toByteArray(),
                host.txnWaiters());
    }

    /** How long a transaction's coordinator may stay silent before others may abort it. */
    static final Duration TXN_EXPIRY = Duration.ofSeconds(5);

    /**
     * An outcome, the context it was reached in (a write's timestamp may have moved), what the
     * transaction requests in it left to do, and whether the latches now belong to a command
     * still replicating (pipelined write).
     */
    private record Evaluated(Evaluation.Outcome outcome, Evaluation.Context ctx, TxnEvaluation txns,
                             boolean latchesHandedOff) {
    }

    /**
     * Evaluates and proposes a write batch. With {@code pipelined} set, returns as soon as the
     * command is proposed and hands the latches to it: they are released when it applies (or
     * fails); a failure is not reported (the coordinator proves the write later).
     */
    private Evaluated evaluateWrite(List<RequestUnion> requests, Lease lease, Evaluation.Context ctx, LatchGuard pipelined)
            throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            TxnEvaluation txns = txnEvaluation();
            try (ReadWriteBatch batch = engine.newReadWriteBatch()) {
                MvccStats delta = new MvccStats();
                Evaluation.Outcome outcome = Evaluation.readWrite(batch, delta, requests, ctx, txns);
                if (outcome instanceof Evaluation.Outcome.WriteTooOld w && attempt < 3) {
                    // A newer version exists: move the write above it. A non-transactional write
                    // simply happens later; a transaction's write timestamp moves (it will have to
                    // refresh its reads before it commits).
                    host.updateClock(w.retryAt());
                    ctx = ctx.withWriteTs(w.retryAt());
                    continue;
                }
                if (!(outcome instanceof Evaluation.Outcome.Done done)) {
                    return new Evaluated(outcome, ctx, txns, false);
                }
                recordReads(done.readSpans(), ctx);
                if (batch.count() > 0) {
                    // Nothing this node serves later may sit below what it wrote.
                    host.updateClock(ctx.writeTs());
                    RaftCommand.Builder cmd = RaftCommand.newBuilder()
                            .setProposerLeaseSequence(lease.getSequence())
                            .setWriteBatch(ByteString.copyFrom(batch.encode()))
                            .setStatsDelta(RangeStates.toProto(delta));
                    if (pipelined != null) {
                        proposeAsync(cmd).whenComplete((r, e) -> pipelined.close());
                        host.metrics().pipelinedWrites.add(1);
                        return new Evaluated(done, ctx, txns, true);
                    }
                    propose(cmd);
                }
                return new Evaluated(done, ctx, txns, false);
            }
        }
    }

    /**
     * Proposes a command evaluated under the current lease and waits for it to apply here.
     *
     * @throws ReplicaError NOT_LEASEHOLDER when the lease changed before it applied (nothing
     *                      applied), UNAVAILABLE when Raft refused it (nothing applied),
     *                      AMBIGUOUS_RESULT when it may or may not have applied
     */
    void propose(RaftCommand.Builder cmd) throws InterruptedException {
        ApplyResult result = proposeAndWait(cmd, true);
        if (!result.applied()) {
            throw new ReplicaError(ErrorKind.NOT_LEASEHOLDER, "r" + rangeId + ": " + result.refusal(), state.getLease());
        }
    }

    /**
     * Proposes a command evaluated under the current lease without waiting: the future completes
     * when it applied here (or was refused at apply), exceptionally when Raft refused it or no
     * outcome came within the proposal timeout.
     */
    private CompletableFuture<ApplyResult> proposeAsync(RaftCommand.Builder cmd) {
        long id = proposalIds.incrementAndGet();
        cmd.setProposalId(id).setProposerNodeId(host.nodeId());
        CompletableFuture<ApplyResult> applied = new CompletableFuture<>();
        inflight.put(id, applied);
        CompletableFuture<Long> raft;
        synchronized (proposeLock) {
            lastMaxLeaseIndex = Math.max(lastMaxLeaseIndex, state.getLeaseAppliedIndex()) + 1;
            cmd.setMaxLeaseIndex(lastMaxLeaseIndex);
            raft = host.driver().propose(rangeId, cmd.build().toByteArray());
        }
        host.metrics().proposals.add(1);
        raft.whenComplete((index, e) -> {
            if (e != null) {
                applied.completeExceptionally(e);
            }
        });
        return applied.orTimeout(host.config().proposalTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((r, e) -> inflight.remove(id));
    }

    private ApplyResult proposeAndWait(RaftCommand.Builder cmd, boolean assignLeaseIndex) throws InterruptedException {
        long id = proposalIds.incrementAndGet();
        cmd.setProposalId(id).setProposerNodeId(host.nodeId());
        CompletableFuture<ApplyResult> applied = new CompletableFuture<>();
        inflight.put(id, applied);
        CompletableFuture<Long> raft;
        // Lease indexes are assigned in the order proposals enter the group's mailbox.
        synchronized (proposeLock) {
            if (assignLeaseIndex) {
                lastMaxLeaseIndex = Math.max(lastMaxLeaseIndex, state.getLeaseAppliedIndex()) + 1;
                cmd.setMaxLeaseIndex(lastMaxLeaseIndex);
            }
            raft = host.driver().propose(rangeId, cmd.build().toByteArray());
        }
        host.metrics().proposals.add(1);
        try {
            raft.get(host.config().proposalTimeout().toNanos(), TimeUnit.NANOSECONDS);
            // Applied here: the state machine completed (or will complete) the outcome first.
            return applied.get(host.config().proposalTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw fromProposalFailure(e.getCause());
        } catch (TimeoutException e) {
            throw new ReplicaError(ErrorKind.AMBIGUOUS_RESULT, "r" + rangeId + ": no outcome within "
                    + host.config().proposalTimeout().toMillis() + " ms; the command may still apply");
        } finally {
            inflight.remove(id);
        }
    }

    private ReplicaError fromProposalFailure(Throwable cause) {
        if (cause instanceof ProposalException p) {
            return switch (p.reason()) {
                case NOT_LEADER -> new ReplicaError(ErrorKind.UNAVAILABLE,
                        "r" + rangeId + ": this replica is not the Raft leader (leader on n" + p.leaderNodeId() + ")");
                case REJECTED -> new ReplicaError(ErrorKind.UNAVAILABLE, "r" + rangeId + ": Raft refused the proposal: " + p.getMessage());
                case AMBIGUOUS, DRIVER_CLOSED -> new ReplicaError(ErrorKind.AMBIGUOUS_RESULT,
                        "r" + rangeId + ": " + p.getMessage() + "; the command may still apply");
            };
        }
        return new ReplicaError(ErrorKind.INTERNAL, "r" + rangeId + ": " + cause);
    }

    private List<LatchSpan> spansOf(List<RequestUnion> requests) {
        List<LatchSpan> spans = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            RequestUnion r = requests.get(i);
            LatchSpan s = switch (r.getValueCase()) {
                case GET, PUT, DELETE, CONDITIONAL_PUT, INCREMENT, HEARTBEAT_TXN, END_TXN, PUSH_TXN, QUERY_INTENT, QUERY_TXN,
                     RECOVER_TXN ->
                        new LatchSpan(BatchRequests.pointKey(r), null, Evaluation.isWrite(r));
                case SCAN -> span(r.getScan().getStartKey().toByteArray(), r.getScan().getEndKey().toByteArray(), false, i);
                case RESOLVE_INTENT -> r.getResolveIntent().getEndKey().isEmpty()
                        ? new LatchSpan(BatchRequests.pointKey(r), null, true)
                        : span(r.getResolveIntent().getKey().toByteArray(), r.getResolveIntent().getEndKey().toByteArray(), true, i);
                case REFRESH -> r.getRefresh().getEndKey().isEmpty()
                        ? new LatchSpan(BatchRequests.pointKey(r), null, false)
                        : span(r.getRefresh().getKey().toByteArray(), r.getRefresh().getEndKey().toByteArray(), false, i);
                default -> throw new ReplicaError(ErrorKind.INVALID_ARGUMENT, "unknown request " + r.getValueCase() + " at " + i);
            };
            if (s.start().length == 0) {
                throw new ReplicaError(ErrorKind.INVALID_ARGUMENT, "empty key in request " + i);
            }
            spans.add(s);
            if (r.hasEndTxn()) {
                // The intents it resolves here, in the same command.
                RangeDescriptor d = descriptor();
                byte[] lo = d.getStartKey().toByteArray();
                byte[] hi = d.getEndKey().toByteArray();
                for (var ls : r.getEndTxn().getLockSpansList()) {
                    byte[] a = ls.getStartKey().toByteArray();
                    if (ls.getEndKey().isEmpty()) {
                        if (Keys.contains(lo, hi, a)) {
                            spans.add(new LatchSpan(a, null, true));
                        }
                        continue;
                    }
                    byte[] b = ls.getEndKey().toByteArray();
                    byte[] from = Keys.compare(a, lo) > 0 ? a : lo;
                    byte[] to = Keys.compare(b, hi) < 0 ? b : hi;
                    if (Keys.compare(from, to) < 0) {
                        spans.add(new LatchSpan(from, to, true));
                    }
                }
            }
        }
        return spans;
    }

    private static LatchSpan span(byte[] a, byte[] b, boolean write, int i) {
        if (a.length == 0 || Keys.compare(a, b) >= 0) {
            throw new ReplicaError(ErrorKind.INVALID_ARGUMENT, "a span needs start < end (request " + i + ")");
        }
        return new LatchSpan(a, b, write);
    }

    private void checkInRange(List<LatchSpan> spans) {
        RangeDescriptor d = descriptor();
        byte[] start = d.getStartKey().toByteArray();
        byte[] end = d.getEndKey().toByteArray();
        for (LatchSpan s : spans) {
            boolean inside = s.end() == null ? Keys.contains(start, end, s.start())
                    : Keys.containsSpan(start, end, s.start(), s.end());
            if (!inside) {
                throw new ReplicaError(Error.newBuilder().setKind(ErrorKind.RANGE_KEY_MISMATCH).setIndex(-1)
                        .setMessage("key " + Keys.pretty(s.start()) + " is outside " + RangeStates.describe(d))
                        .addDescriptors(d).build());
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Leases
    // ---------------------------------------------------------------------------------------

    /**
     * The lease under which this replica may serve now: this node's valid lease, acquired
     * through Raft if the range has none.
     *
     * @throws ReplicaError NOT_LEASEHOLDER (with the holder, or the Raft leader, as hint)
     */
    Lease leaseForServing() throws InterruptedException {
        for (int attempt = 0; attempt < 3; attempt++) {
            Lease transfer = transferring;
            if (transfer != null) {
                throw new ReplicaError(ErrorKind.NOT_LEASEHOLDER, "r" + rangeId + ": lease is moving", transfer);
            }
            Lease lease = state.getLease();
            LeaseStatus st = Leases.status(lease, host.clock().now(), host.config().maxOffset(), host.nodeId());
            if (st.state() == LeaseStatus.State.VALID) {
                if (st.ownedLocally()) {
                    return lease;
                }
                throw new ReplicaError(ErrorKind.NOT_LEASEHOLDER, "r" + rangeId + ": lease held by n"
                        + lease.getReplica().getNodeId(), lease);
            }
            if (st.state() == LeaseStatus.State.STASIS && !st.ownedLocally()) {
                // Another holder's lease is about to expire; it serves nothing and neither may we
                // until it has: wait it out, then acquire.
                long waitNanos = Timestamps.fromProto(lease.getExpiration()).wallNanos() - host.clock().physicalNanos();
                if (waitNanos > 0) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(waitNanos, host.config().maxOffset().toNanos()) + 1_000_000);
                }
            }
            ApplyResult r = requestLease(lease);
            if (!r.applied()) {
                host.metrics().leaseRequestsRefused.add(1);
            }
        }
        throw new ReplicaError(ErrorKind.NOT_LEASEHOLDER, "r" + rangeId + ": could not acquire the lease", state.getLease());
    }

    /** Asks Raft for a lease (or an extension) for this replica; concurrent callers share one request. */
    ApplyResult requestLease(Lease seen) throws InterruptedException {
        CompletableFuture<ApplyResult> mine;
        boolean issuer;
        synchronized (this) {
            if (pendingLeaseRequest != null && !pendingLeaseRequest.isDone()) {
                mine = pendingLeaseRequest;
                issuer = false;
            } else {
                mine = new CompletableFuture<>();
                pendingLeaseRequest = mine;
                issuer = true;
            }
        }
        if (issuer) {
            try {
                ReplicaDescriptor me = RangeStates.replicaOn(descriptor(), host.nodeId())
                        .orElseThrow(() -> new ReplicaError(ErrorKind.RANGE_NOT_FOUND, "r" + rangeId + " has no replica here"));
                Lease next = Leases.request(seen, me, host.clock().now(), host.config().leaseDuration(), 0);
                host.metrics().leaseRequests.add(1);
                ApplyResult r = proposeAndWait(RaftCommand.newBuilder().setNewLease(next).setPrevLease(seen), false);
                mine.complete(r);
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            }
        }
        try {
            return mine.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ReplicaError re) {
                if (re.error.getKind() == ErrorKind.UNAVAILABLE) {
                    // Not the Raft leader: whoever leads will take the lease. If the leader died
                    // while the group was quiet, nobody would notice: wake the group so that an
                    // election can follow.
                    host.wakeGroup(rangeId);
                    throw new ReplicaError(ErrorKind.NOT_LEASEHOLDER, re.error.getMessage(), leaderHint());
                }
                throw re;
            }
            throw new ReplicaError(ErrorKind.INTERNAL, String.valueOf(e.getCause()));
        }
    }

    private Lease leaderHint() {
        long leaderNode = host.raftLeaderNode(rangeId);
        return RangeStates.replicaOn(descriptor(), leaderNode).map(r -> Lease.newBuilder().setReplica(r).build())
                .orElse(state.getLease());
    }

    /**
     * Hands this holder's lease to the replica on {@code targetNode}: from the moment the
     * transfer is decided this replica serves nothing, so no read here can follow a write of the
     * new holder at a lower timestamp.
     */
    void transferLease(long targetNode) throws InterruptedException {
        Lease cur = leaseForServing();
        ReplicaDescriptor target = RangeStates.replicaOn(descriptor(), targetNode)
                .filter(RangeStates::isVoter)
                .orElseThrow(() -> new ReplicaError(ErrorKind.INVALID_ARGUMENT, "n" + targetNode + " has no voter of r" + rangeId));
        if (target.getNodeId() == host.nodeId()) {
            return;
        }
        Lease next;
        synchronized (this) {
            next = Leases.transfer(cur, target, host.clock().now(), host.config().leaseDuration());
            transferring = next;
        }
        try {
            // Wait for every request already evaluating under this lease: a full-span write latch.
            try (LatchGuard guard = latches.acquire(List.of(wholeSpan(true)), host.config().latchTimeout())) {
                ApplyResult r = proposeAndWait(RaftCommand.newBuilder().setNewLease(next).setPrevLease(cur), false);
                if (!r.applied()) {
                    throw new ReplicaError(ErrorKind.UNAVAILABLE, "r" + rangeId + ": lease transfer refused: " + r.refusal());
                }
            } catch (TimeoutException e) {
                throw new ReplicaError(ErrorKind.UNAVAILABLE, "r" + rangeId + ": lease transfer waited too long for requests");
            }
            host.metrics().leaseTransfers.add(1);
            // Raft leadership follows the lease, so that the new holder can propose.
            host.driver().transferLeadership(rangeId, target.getReplicaId());
        } finally {
            transferring = null;
        }
    }

    LatchSpan wholeSpan(boolean write) {
        return new LatchSpan(descriptor().getStartKey().toByteArray(), descriptor().getEndKey().toByteArray(), write);
    }

    LatchGuard latchAll() throws InterruptedException {
        try {
            return latches.acquire(List.of(wholeSpan(true)), host.config().latchTimeout());
        } catch (TimeoutException e) {
            throw new ReplicaError(ErrorKind.UNAVAILABLE, "r" + rangeId + ": waited too long for requests to finish");
        }
    }

    ReplicaHost host() {
        return host;
    }

    // ---------------------------------------------------------------------------------------
    // State machine (driver worker thread)
    // ---------------------------------------------------------------------------------------

    @Override
    public void apply(long index, byte[] command) {
        RaftCommand cmd;
        try {
            cmd = RaftCommand.parseFrom(command);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("r" + rangeId + " entry " + index + " is not a command", e);
        }
        RangeState cur = state;
        RangeState.Builder next = cur.toBuilder().setAppliedIndex(index);
        ApplyResult result = ApplyResult.OK;
        RangeDescriptor splitRight = null;
        try (WriteBatch wb = engine.newWriteBatch()) {
            if (cmd.hasNewLease()) {
                var check = Leases.checkApply(cur.getLease(), cmd.getPrevLease(), cmd.getNewLease(), cmd.getProposerNodeId());
                if (check.accepted()) {
                    next.setLease(cmd.getNewLease());
                } else {
                    result = new ApplyResult(false, check.code() + ": " + check.detail());
                }
            } else if (cmd.getProposerLeaseSequence() != cur.getLease().getSequence()) {
                result = new ApplyResult(false, "evaluated under lease " + cmd.getProposerLeaseSequence()
                        + ", now " + cur.getLease().getSequence());
            } else if (cmd.getMaxLeaseIndex() <= cur.getLeaseAppliedIndex()) {
                result = new ApplyResult(false, "reordered proposal (lease index " + cmd.getMaxLeaseIndex()
                        + " <= " + cur.getLeaseAppliedIndex() + ")");
            } else {
                next.setLeaseAppliedIndex(cmd.getMaxLeaseIndex());
                // A command may write nothing (a split of a range that holds no meta entry):
                // no batch at all, not an encoded empty one.
                List<BatchOp> ops = cmd.getWriteBatch().isEmpty() ? List.of()
                        : WriteBatchCodec.decode(cmd.getWriteBatch().toByteArray());
                for (BatchOp op : ops) {
                    if (op.space() != KeySpace.MVCC && !(op.space() == KeySpace.LOCAL && Keys.isTxnRecordKey(op.key()))) {
                        throw new IllegalStateException("r" + rangeId + " command " + index + " writes " + op.space());
                    }
                    op.applyTo(wb);
                }
                next.setStats(RangeStates.plus(cur.getStats(), cmd.getStatsDelta()));
                if (cmd.hasSplit()) {
                    SplitTrigger split = cmd.getSplit();
                    next.setRangeDescriptor(split.getLeft());
                    next.setStats(RangeStates.minus(next.getStats(), split.getRightStats()));
                    splitRight = split.getRight();
                    if (!host.hasInitializedReplica(splitRight.getRangeId())) {
                        // (If a snapshot of the right-hand range arrived first, its state is newer.)
                        RangeState right = RangeState.newBuilder().setRangeDescriptor(splitRight)
                                .setLease(cur.getLease()).setAppliedIndex(RangeStates.INITIAL_INDEX)
                                .setStats(split.getRightStats()).build();
                        wb.put(KeySpace.LOCAL, Keys.rangeStateKey(splitRight.getRangeId()), right.toByteArray());
                    }
                }
            }
            RangeState built = next.build();
            wb.put(KeySpace.LOCAL, Keys.rangeStateKey(rangeId), built.toByteArray());
            engine.write(wb, Durability.UNSYNCED);
            state = built;
        }
        if (cmd.hasNewLease() && result.applied()) {
            onLeaseApplied(cmd.getNewLease());
        }
        if (splitRight != null) {
            host.splitApplied(this, splitRight);
        }
        if (cmd.getProposerNodeId() == host.nodeId()) {
            CompletableFuture<ApplyResult> f = inflight.get(cmd.getProposalId());
            if (f != null) {
                f.complete(result);
            }
        }
    }

    private void onLeaseApplied(Lease lease) {
        if (lease.getReplica().getNodeId() == host.nodeId()) {
            // Nothing this holder serves may sit below the lease start (the previous holder may
            // have served reads up to it), and no write may land below a read it served.
            Timestamp start = Timestamps.fromProto(lease.getStart());
            host.updateClock(start);
            synchronized (tscache) {
                tscache.raiseLowWater(start);
            }
        }
    }

    @Override
    public void applyConfChange(long index, byte[] context) {
        RangeState cur = state;
        RangeDescriptor desc;
        if (context.length > 0) {
            RangeDescriptor proposed;
            try {
                proposed = ChangeReplicasTrigger.parseFrom(context).getRangeDescriptor();
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("r" + rangeId + " conf change " + index + " has a bad context", e);
            }
            // Only the membership comes from the trigger: the span stays what it is now, even if a
            // split applied between the change's proposal and this entry.
            RangeDescriptor current = cur.getRangeDescriptor();
            desc = current.toBuilder().clearReplicas().addAllReplicas(proposed.getReplicasList())
                    .setNextReplicaId(Math.max(current.getNextReplicaId(), proposed.getNextReplicaId()))
                    .setGeneration(current.getGeneration() + 1).build();
        } else {
            desc = leaveJoint(cur.getRangeDescriptor());
        }
        RangeState built = cur.toBuilder().setRangeDescriptor(desc).setAppliedIndex(index).build();
        try (WriteBatch wb = engine.newWriteBatch()) {
            wb.put(KeySpace.LOCAL, Keys.rangeStateKey(rangeId), built.toByteArray());
            engine.write(wb, Durability.UNSYNCED);
        }
        state = built;
    }

    /** The descriptor after leaving a joint configuration: incoming voters become voters, outgoing ones leave. */
    static RangeDescriptor leaveJoint(RangeDescriptor d) {
        RangeDescriptor.Builder b = d.toBuilder().clearReplicas().setGeneration(d.getGeneration() + 1);
        for (ReplicaDescriptor r : d.getReplicasList()) {
            switch (r.getType()) {
                case VOTER_INCOMING -> b.addReplicas(r.toBuilder().setType(ReplicaType.VOTER));
                case VOTER_OUTGOING -> {
                }
                default -> b.addReplicas(r);
            }
        }
        return b.build();
    }

    @Override
    public long appliedIndex() {
        return state.getAppliedIndex();
    }

    @Override
    public byte[] snapshot() {
        RangeState s = state;
        RangeSnapshot.Builder b = RangeSnapshot.newBuilder().setState(s);
        byte[][] bounds = engineBounds(s.getRangeDescriptor());
        try (EngineIterator it = engine.iterator(KeySpace.MVCC, bounds[0], bounds[1])) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                b.addEntries(SnapshotEntry.newBuilder().setKey(ByteString.copyFrom(it.key())).setValue(ByteString.copyFrom(it.value())));
            }
        }
        byte[][] records = txnRecordBounds(s.getRangeDescriptor());
        try (EngineIterator it = engine.iterator(KeySpace.LOCAL, records[0], records[1])) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                b.addEntries(SnapshotEntry.newBuilder().setKey(ByteString.copyFrom(it.key())).setValue(ByteString.copyFrom(it.value()))
                        .setTxnRecord(true));
            }
        }
        return b.build().toByteArray();
    }

    @Override
    public void restore(long index, byte[] data) {
        RangeSnapshot snap;
        try {
            snap = RangeSnapshot.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("r" + rangeId + " snapshot at " + index + " is not readable", e);
        }
        RangeState old = state;
        RangeState restored = snap.getState().toBuilder().setAppliedIndex(index).build();
        try (WriteBatch wb = engine.newWriteBatch()) {
            if (old.hasRangeDescriptor()) {
                byte[][] ob = engineBounds(old.getRangeDescriptor());
                wb.deleteRange(KeySpace.MVCC, ob[0], ob[1]);
                byte[][] or = txnRecordBounds(old.getRangeDescriptor());
                wb.deleteRange(KeySpace.LOCAL, or[0], or[1]);
            }
            byte[][] nb = engineBounds(restored.getRangeDescriptor());
            wb.deleteRange(KeySpace.MVCC, nb[0], nb[1]);
            byte[][] nr = txnRecordBounds(restored.getRangeDescriptor());
            wb.deleteRange(KeySpace.LOCAL, nr[0], nr[1]);
            for (SnapshotEntry e : snap.getEntriesList()) {
                if (e.getTxnRecord() && !Keys.isTxnRecordKey(e.getKey().toByteArray())) {
                    throw new IllegalStateException("r" + rangeId + " snapshot at " + index + " holds a local key that is no transaction record");
                }
                wb.put(e.getTxnRecord() ? KeySpace.LOCAL : KeySpace.MVCC, e.getKey().toByteArray(), e.getValue().toByteArray());
            }
            wb.put(KeySpace.LOCAL, Keys.rangeStateKey(rangeId), restored.toByteArray());
            engine.write(wb, Durability.UNSYNCED);
        }
        state = restored;
        host.metrics().snapshotsApplied.add(1);
    }

    /** The LOCAL key bounds of the records of the transactions anchored in the range. */
    static byte[][] txnRecordBounds(RangeDescriptor d) {
        return Keys.txnRecordBounds(d.getStartKey().toByteArray(), d.getEndKey().toByteArray());
    }

    /** The engine key bounds of a range's MVCC data: every version and lock of its user keys. */
    static byte[][] engineBounds(RangeDescriptor d) {
        return new byte[][] {MvccKeyCodec.spanStart(d.getStartKey().toByteArray()),
                MvccKeyCodec.spanStart(d.getEndKey().toByteArray())};
    }

    @Override
    public List<Peer> peers() {
        RangeDescriptor d = state.getRangeDescriptor();
        if (d.getReplicasCount() == 0) {
            return null;
        }
        List<Peer> peers = new ArrayList<>();
        for (ReplicaDescriptor r : d.getReplicasList()) {
            peers.add(new Peer(r.getReplicaId(), r.getNodeId()));
        }
        return peers;
    }

    // ---------------------------------------------------------------------------------------

    static BatchResponse error(ErrorKind kind, String message) {
        return BatchResponse.newBuilder().setError(Error.newBuilder().setKind(kind).setMessage(message).setIndex(-1)).build();
    }

    Duration leaseRemaining() {
        Lease l = state.getLease();
        return Duration.ofNanos(Timestamps.fromProto(l.getExpiration()).wallNanos() - host.clock().physicalNanos());
    }

    /** An error the replica returns to its caller; thrown internally to unwind. */
    static final class ReplicaError extends RuntimeException {
        final Error error;

        ReplicaError(Error error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }

        ReplicaError(ErrorKind kind, String message) {
            this(Error.newBuilder().setKind(kind).setMessage(message).setIndex(-1).build());
        }

        ReplicaError(ErrorKind kind, String message, Lease hint) {
            this(Error.newBuilder().setKind(kind).setMessage(message).setIndex(-1).setLeaseHint(hint).build());
        }
    }
}
