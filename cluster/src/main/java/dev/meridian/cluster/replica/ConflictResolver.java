package dev.meridian.cluster.replica;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.cluster.kv.KvException;
import dev.meridian.cluster.kv.TxnProtos;
import dev.meridian.cluster.replica.concurrency.PushPolicy;
import dev.meridian.cluster.replica.concurrency.TxnRef;
import dev.meridian.cluster.time.Timestamps;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.Error;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.PushTxnRequest;
import dev.meridian.proto.kv.PushType;
import dev.meridian.proto.kv.QueryTxnRequest;
import dev.meridian.proto.kv.QueryTxnResponse;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.ResolveIntentRequest;
import dev.meridian.proto.kv.RetryReason;
import dev.meridian.proto.kv.Transaction;
import dev.meridian.proto.kv.TransactionRecord;
import dev.meridian.proto.kv.TransactionStatus;
import dev.meridian.storage.mvcc.LockConflict;
import dev.meridian.storage.mvcc.Timestamp;
import dev.meridian.storage.mvcc.TxnMeta;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a request does about the intents of other transactions that stopped its evaluation
 * (its latches released): for each holder, push it through its record (wherever that lives), and
 * once the push says the holder committed, aborted, or moved above the reader, resolve the
 * intents met so that the request can evaluate again.
 *
 * <p>A push that cannot win yet (the holder is alive and not weaker) is repeated with a growing
 * pause; the holder's record registers the pusher as waiting. Every few rounds a transactional
 * pusher asks its own record who waits for it, and through them who waits for those: finding
 * the holder there means a deadlock, and the member {@link PushPolicy#deadlockVictim} names is
 * aborted by whoever waits for it (so exactly one member of the cycle acts). The same query tells
 * the pusher whether it was itself aborted meanwhile (then the request fails with
 * TRANSACTION_ABORTED).
 *
 * <p>Blocks the calling thread (it holds no latches).
 */
final class ConflictResolver {

    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int DEADLOCK_CHECK_EVERY = 3;
    private static final int DEADLOCK_SEARCH_DEPTH = 4;

    private final Replica replica;
    private final Transaction txn;
    private final TxnMeta me;
    private final Evaluation.Context ctx;

    ConflictResolver(Replica replica, Transaction txn, Evaluation.Context ctx) {
        this.replica = replica;
        this.txn = txn;
        this.me = ctx.txn();
        this.ctx = ctx;
    }

    void handle(Evaluation.Outcome.Conflicts c) throws InterruptedException {
        Map<UUID, List<byte[]>> keysByHolder = new LinkedHashMap<>();
        Map<UUID, TxnMeta> holders = new HashMap<>();
        for (LockConflict lc : c.conflicts()) {
            keysByHolder.computeIfAbsent(lc.holder().id(), k -> new ArrayList<>()).add(lc.key());
            holders.putIfAbsent(lc.holder().id(), lc.holder());
        }
        for (Map.Entry<UUID, List<byte[]>> e : keysByHolder.entrySet()) {
            pushAndResolve(holders.get(e.getKey()), e.getValue(), c.writer());
        }
    }

    private void pushAndResolve(TxnMeta holder, List<byte[]> keys, boolean writer) throws InterruptedException {
        if (holder.anchorKey().length == 0) {
            throw new Replica.ReplicaError(ErrorKind.INTERNAL, "the intent of " + holder.id() + " on "
                    + Keys.pretty(keys.getFirst()) + " names no transaction record");
        }
        ReplicaMetrics metrics = replica.host().metrics();
        Timestamp pushTo = ctx.readTs().forward(ctx.uncertaintyLimit());
        long pause = FIRST_PAUSE_NANOS;
        // Give up (UNAVAILABLE: nothing written, the sender retries) well before the sender's RPC
        // deadline would turn a wait into an unknown outcome.
        long deadline = System.nanoTime() + replica.host().config().latchTimeout().toNanos() * 3 / 4;
        boolean force = false;
        for (int round = 0; ; round++) {
            PushTxnRequest.Builder push = PushTxnRequest.newBuilder()
                    .setKey(ByteString.copyFrom(holder.anchorKey()))
                    .setPushee(TxnProtos.toProto(holder))
                    .setPushType(writer ? PushType.PUSH_ABORT : PushType.PUSH_TIMESTAMP)
                    .setPushTo(Timestamps.toProto(pushTo))
                    .setForce(force);
            if (me != null) {
                push.setPusher(TxnProtos.toProto(me));
            }
            metrics.pushes.add(1);
            var pushed = call(RequestUnion.newBuilder().setPushTxn(push)).getResponses(0).getPushTxn();
            TransactionRecord rec = pushed.getNeedsRecovery() ? recover(pushed.getPushee()) : pushed.getPushee();
            TransactionStatus st = rec.getStatus();
            boolean movedAbove = !writer && st == TransactionStatus.PENDING
                    && pushTo.less(Timestamps.fromProto(rec.getMeta().getWriteTimestamp()));
            if (st == TransactionStatus.COMMITTED || st == TransactionStatus.ABORTED || movedAbove) {
                resolve(rec, keys);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new Replica.ReplicaError(ErrorKind.UNAVAILABLE, "waited too long for transaction " + holder.id()
                        + " holding " + Keys.pretty(keys.getFirst()));
            }
            if (me != null && round % DEADLOCK_CHECK_EVERY == DEADLOCK_CHECK_EVERY - 1) {
                force = deadlockVictimIs(holder);
                if (force) {
                    metrics.deadlocks.add(1);
                    continue;
                }
            }
            TimeUnit.NANOSECONDS.sleep(pause);
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }

    /**
     * Decides a STAGING transaction whose coordinator went silent: looks for every write in
     * flight at the staging timestamp, preventing the missing ones, and records the verdict.
     */
    private TransactionRecord recover(TransactionRecord staging) throws InterruptedException {
        replica.host().metrics().recoveries.add(1);
        BatchRequest.Builder queries = BatchRequest.newBuilder();
        for (var w : staging.getInFlightWritesList()) {
            queries.addRequests(RequestUnion.newBuilder().setQueryIntent(dev.meridian.proto.kv.QueryIntentRequest.newBuilder()
                    .setKey(w.getKey()).setTxn(staging.getMeta().toBuilder().setSequence(w.getSequence())).setPrevent(true)));
        }
        boolean allFound = true;
        for (var r : send(queries.build()).getResponsesList()) {
            allFound &= r.getQueryIntent().getFound();
        }
        return call(RequestUnion.newBuilder().setRecoverTxn(dev.meridian.proto.kv.RecoverTxnRequest.newBuilder()
                .setKey(staging.getMeta().getAnchorKey()).setTxn(staging.getMeta()).setImplicitlyCommitted(allFound)))
                .getResponses(0).getRecoverTxn().getRecord();
    }

    /** Resolves the intents on {@code keys} as the holder's record says. */
    private void resolve(TransactionRecord rec, List<byte[]> keys) throws InterruptedException {
        // An aborted transaction never commits any epoch: its coordinator may have restarted and
        // written newer intents since the abort, which must go too (a resolution leaves intents
        // of newer epochs than its own alone).
        dev.meridian.proto.kv.TxnMeta meta = rec.getStatus() == TransactionStatus.ABORTED
                ? rec.getMeta().toBuilder().setEpoch(Integer.MAX_VALUE).build() : rec.getMeta();
        List<RequestUnion> reqs = new ArrayList<>();
        for (byte[] k : keys) {
            reqs.add(RequestUnion.newBuilder().setResolveIntent(ResolveIntentRequest.newBuilder()
                    .setKey(ByteString.copyFrom(k)).setTxn(meta).setStatus(rec.getStatus())).build());
        }
        send(BatchRequest.newBuilder().addAllRequests(reqs).build());
    }

    /**
     * Looks for a deadlock through {@code holder}: whether the holder waits, directly or through
     * others, for this transaction. Fails the request if this transaction was aborted.
     *
     * @return true if there is a cycle and the holder is its victim (then this pusher aborts it)
     */
    private boolean deadlockVictimIs(TxnMeta holder) throws InterruptedException {
        Map<UUID, TxnMeta> parent = new HashMap<>();
        Map<UUID, TxnMeta> metas = new HashMap<>();
        metas.put(me.id(), me);
        ArrayDeque<TxnMeta> frontier = new ArrayDeque<>(List.of(me));
        for (int depth = 0; depth < DEADLOCK_SEARCH_DEPTH && !frontier.isEmpty(); depth++) {
            ArrayDeque<TxnMeta> next = new ArrayDeque<>();
            for (TxnMeta t : frontier) {
                if (t.anchorKey().length == 0) {
                    continue;
                }
                QueryTxnResponse q = call(RequestUnion.newBuilder().setQueryTxn(QueryTxnRequest.newBuilder()
                        .setKey(ByteString.copyFrom(t.anchorKey())).setTxn(TxnProtos.toProto(t)))).getResponses(0).getQueryTxn();
                if (t == me && q.hasRecord() && q.getRecord().getStatus() == TransactionStatus.ABORTED) {
                    throw new Replica.ReplicaError(Error.newBuilder().setKind(ErrorKind.TRANSACTION_ABORTED).setIndex(-1)
                            .setRetryReason(RetryReason.RETRY_ABORTED_BY_PUSHER)
                            .setMessage("transaction " + me.id() + " was aborted while it waited (a deadlock or a stronger pusher)")
                            .setTxn(txn).build());
                }
                for (dev.meridian.proto.kv.TxnMeta w : q.getWaitingList()) {
                    TxnMeta wm = TxnProtos.toMvcc(w);
                    if (metas.putIfAbsent(wm.id(), wm) != null) {
                        continue;
                    }
                    parent.put(wm.id(), t);
                    if (wm.id().equals(holder.id())) {
                        // holder waits for ... waits for me, and I wait for holder: a cycle.
                        List<TxnRef> cycle = new ArrayList<>();
                        for (TxnMeta x = wm; x != null; x = parent.get(x.id())) {
                            cycle.add(new TxnRef(x.id(), x.writeTimestamp(), x.priority()));
                        }
                        return PushPolicy.deadlockVictim(cycle).id().equals(holder.id());
                    }
                    next.add(wm);
                }
            }
            frontier = next;
        }
        return false;
    }

    private BatchResponse call(RequestUnion.Builder r) throws InterruptedException {
        return send(BatchRequest.newBuilder().addRequests(r).build());
    }

    private BatchResponse send(BatchRequest b) throws InterruptedException {
        try {
            return replica.host().kv().batch(b).get(replica.host().config().proposalTimeout().toNanos() * 2, TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof KvException k) {
                ErrorKind kind = k.kind() == ErrorKind.AMBIGUOUS_RESULT ? ErrorKind.UNAVAILABLE : k.kind();
                throw new Replica.ReplicaError(kind == ErrorKind.INVALID_ARGUMENT ? ErrorKind.INTERNAL : kind,
                        "while handling a conflicting intent: " + k.getMessage());
            }
            throw new Replica.ReplicaError(ErrorKind.INTERNAL, "while handling a conflicting intent: " + cause);
        } catch (TimeoutException e) {
            throw new Replica.ReplicaError(ErrorKind.UNAVAILABLE, "no answer while handling a conflicting intent");
        }
    }
}
