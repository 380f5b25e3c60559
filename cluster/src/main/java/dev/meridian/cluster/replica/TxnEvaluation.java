package dev.meridian.cluster.replica;

import dev.meridian.cluster.keys.Keys;
import dev.meridian.cluster.kv.TxnProtos;
import dev.meridian.cluster.replica.concurrency.PushPolicy;
import dev.meridian.cluster.replica.txnrecord.TxnRecord;
import dev.meridian.cluster.replica.txnrecord.TxnRecordProtos;
import dev.meridian.cluster.replica.txnrecord.TxnRecords;
import dev.meridian.cluster.time.Timestamps;
import dev.meridian.proto.kv.EndTxnRequest;
import dev.meridian.proto.kv.EndTxnResponse;
import dev.meridian.proto.kv.Error;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.HeartbeatTxnResponse;
import dev.meridian.proto.kv.PushTxnRequest;
import dev.meridian.proto.kv.PushTxnResponse;
import dev.meridian.proto.kv.PushType;
import dev.meridian.proto.kv.QueryIntentResponse;
import dev.meridian.proto.kv.QueryTxnResponse;
import dev.meridian.proto.kv.RefreshResponse;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.ResolveIntentRequest;
import dev.meridian.proto.kv.ResolveIntentResponse;
import dev.meridian.proto.kv.ResponseUnion;
import dev.meridian.proto.kv.RetryReason;
import dev.meridian.proto.kv.TransactionStatus;
import dev.meridian.storage.EngineReader;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.mvcc.IsolationLevel;
import dev.meridian.storage.mvcc.LockRecord;
import dev.meridian.storage.mvcc.LockUpdate;
import dev.meridian.storage.mvcc.Mvcc;
import dev.meridian.storage.mvcc.MvccStats;
import dev.meridian.storage.mvcc.RefreshResult;
import dev.meridian.storage.mvcc.SeqRange;
import dev.meridian.storage.mvcc.Span;
import dev.meridian.storage.mvcc.Timestamp;
import dev.meridian.storage.mvcc.TxnMeta;
import dev.meridian.storage.mvcc.TxnStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates the requests about transactions on one range: the record's heartbeat, end and push
 * (on the anchor range), intent resolution, intent queries, read refreshes and record queries.
 * The record rules are {@link TxnRecords}'; this class reads and writes the records
 * ({@link Keys#txnRecordKey}, LOCAL key space, replicated through the command's write batch)
 * and resolves the intents an EndTxn finds on its own range in the same batch.
 */
final class TxnEvaluation {

    /** A transaction an EndTxn finished, and the intent spans outside this range still to resolve. */
    record Finalized(TxnMeta txn, TxnStatus status, List<SeqRange> ignored, List<Span> remoteSpans) {
    }

    /** An EndTxn's outcome: its response and what it finalized, or the outcome that stops the batch. */
    record EndResult(ResponseUnion response, Finalized finalized, Evaluation.Outcome stop) {
    }

    private final Timestamp now;
    private final Duration expiry;
    private final byte[] rangeStart;
    private final byte[] rangeEnd;
    private final TxnWaiters waiters;
    private final List<Prevented> prevented = new ArrayList<>();

    /** A write that must not land on {@code key} at or below {@code ts} (for the timestamp cache). */
    record Prevented(byte[] key, Timestamp ts) {
    }

    /** Set when a RecoverTxn finished a transaction: the intents elsewhere still to resolve. */
    private Finalized recovered;

    Finalized recovered() {
        return recovered;
    }

    /** What the evaluated QueryIntents with {@code prevent} found missing. */
    List<Prevented> prevented() {
        return prevented;
    }

    TxnEvaluation(Timestamp now, Duration expiry, byte[] rangeStart, byte[] rangeEnd, TxnWaiters waiters) {
        this.now = now;
        this.expiry = expiry;
        this.rangeStart = rangeStart;
        this.rangeEnd = rangeEnd;
        this.waiters = waiters;
    }

    // ---- reads ----

    Evaluation.Outcome read(EngineReader reader, RequestUnion r, int i, Evaluation.Context ctx, List<ResponseUnion> out,
                            List<Span> read) {
        try {
            switch (r.getValueCase()) {
                case QUERY_INTENT -> {
                    var q = r.getQueryIntent();
                    TxnMeta txn = TxnProtos.toMvcc(q.getTxn());
                    byte[] key = q.getKey().toByteArray();
                    // Sent by the transaction itself, the batch's header has its latest write timestamp.
                    Timestamp bound = ctx.txn() != null && ctx.txn().id().equals(txn.id())
                            ? ctx.writeTs().forward(txn.writeTimestamp()) : txn.writeTimestamp();
                    LockRecord lock = Mvcc.readLock(reader, key);
                    boolean found = lock != null && lock.txn().id().equals(txn.id()) && lock.txn().epoch() == txn.epoch()
                            && lock.latest().sequence() >= txn.sequence() && lock.timestamp().lessEq(bound);
                    if (!found && q.getPrevent()) {
                        // The write, if it is still on its way, must land above the timestamp.
                        prevented.add(new Prevented(key, bound));
                    }
                    out.add(ResponseUnion.newBuilder().setQueryIntent(QueryIntentResponse.newBuilder().setFound(found)).build());
                }
                case REFRESH -> {
                    if (ctx.txn() == null) {
                        return Evaluation.failed(ErrorKind.INVALID_ARGUMENT, i, "a refresh belongs to a transaction");
                    }
                    var q = r.getRefresh();
                    byte[] start = q.getKey().toByteArray();
                    byte[] end = q.getEndKey().toByteArray();
                    Timestamp from = Timestamps.fromProto(q.getRefreshFrom());
                    RefreshResult res = Mvcc.refresh(reader, start, end, from, ctx.readTs(), ctx.txn().id());
                    if (!res.ok()) {
                        return new Evaluation.Outcome.Failed(Error.newBuilder().setKind(ErrorKind.REFRESH_FAILED).setIndex(i)
                                .setRetryReason(RetryReason.RETRY_SERIALIZABLE)
                                .setMessage("reads of " + Keys.pretty(start) + " cannot move from " + from + " to "
                                        + ctx.readTs() + ": " + (res.status() == RefreshResult.Status.INTENT
                                        ? "an intent of " + res.holder().id() : "a write") + " on " + Keys.pretty(res.key())
                                        + " at " + res.timestamp())
                                .build());
                    }
                    read.add(new Span(start, end.length == 0 ? null : end));
                    out.add(ResponseUnion.newBuilder().setRefresh(RefreshResponse.getDefaultInstance()).build());
                }
                case QUERY_TXN -> {
                    var q = r.getQueryTxn();
                    TxnMeta txn = TxnProtos.toMvcc(q.getTxn());
                    QueryTxnResponse.Builder b = QueryTxnResponse.newBuilder();
                    load(reader, q.getKey().toByteArray(), txn).ifPresent(rec -> b.setRecord(TxnRecordProtos.toProto(rec)));
                    for (TxnMeta w : waiters.waitingFor(txn.id())) {
                        b.addWaiting(TxnProtos.toProto(w));
                    }
                    out.add(ResponseUnion.newBuilder().setQueryTxn(b).build());
                }
                default -> {
                    return Evaluation.failed(ErrorKind.INVALID_ARGUMENT, i, "not a read: " + r.getValueCase());
                }
            }
        } catch (IllegalArgumentException e) {
            return Evaluation.failed(ErrorKind.INVALID_ARGUMENT, i, r.getValueCase() + ": " + e.getMessage());
        }
        return null;
    }

    // ---- writes ----

    Evaluation.Outcome write(ReadWriteBatch batch, MvccStats stats, RequestUnion r, int i, Evaluation.Context ctx,
                             List<ResponseUnion> out) {
        try {
            switch (r.getValueCase()) {
                case HEARTBEAT_TXN -> {
                    TxnMeta txn = ctx.txn();
                    if (txn == null) {
                        return Evaluation.failed(ErrorKind.INVALID_ARGUMENT, i, "a heartbeat belongs to a transaction");
                    }
                    byte[] anchor = r.getHeartbeatTxn().getKey().toByteArray();
                    Evaluation.Outcome bad = checkAnchor(txn, anchor, i);
                    if (bad != null) {
                        return bad;
                    }
                    TxnRecords.Result res = TxnRecords.heartbeat(load(batch, anchor, txn), txn, anchor, now);
                    if (res instanceof TxnRecords.Result.Refused refused) {
                        return refusal(refused, i, txn);
                    }
                    TxnRecord rec = accept(batch, (TxnRecords.Result.Accepted) res);
                    out.add(ResponseUnion.newBuilder().setHeartbeatTxn(HeartbeatTxnResponse.newBuilder()
                            .setRecord(TxnRecordProtos.toProto(rec))).build());
                }
                case PUSH_TXN -> {
                    return push(batch, r.getPushTxn(), i, out);
                }
                case RECOVER_TXN -> {
                    var q = r.getRecoverTxn();
                    TxnMeta txn = TxnProtos.toMvcc(q.getTxn());
                    byte[] anchor = q.getKey().toByteArray();
                    Optional<TxnRecord> current = load(batch, anchor, txn);
                    if (current.isEmpty()) {
                        return Evaluation.failed(ErrorKind.INVALID_ARGUMENT, i, "no record of " + txn.id() + " to recover");
                    }
                    TxnRecords.Result res = TxnRecords.recover(current, q.getImplicitlyCommitted(), !q.getImplicitlyCommitted());
                    TxnRecord rec = accept(batch, (TxnRecords.Result.Accepted) res);
                    if (rec.status().finalized() && current.get().status() == TxnRecord.Status.STAGING) {
                        recovered = finalizeLocally(batch, stats, rec, rec.lockSpans(), List.of());
                    }
                    out.add(ResponseUnion.newBuilder().setRecoverTxn(dev.meridian.proto.kv.RecoverTxnResponse.newBuilder()
                            .setRecord(TxnRecordProtos.toProto(rec))).build());
                }
                case RESOLVE_INTENT -> {
                    ResolveIntentRequest q = r.getResolveIntent();
                    TxnMeta txn = TxnProtos.toMvcc(q.getTxn());
                    LockUpdate u = new LockUpdate(txn.id(), txn.epoch(), status(q.getStatus()), txn.writeTimestamp(),
                            TxnProtos.ignored(q.getIgnoredSeqnumsList()));
                    byte[] key = q.getKey().toByteArray();
                    if (q.getEndKey().isEmpty()) {
                        Mvcc.resolveIntent(batch, stats, key, u);
                    } else {
                        Mvcc.resolveIntentRange(batch, stats, key, q.getEndKey().toByteArray(), u, 0);
                    }
                    out.add(ResponseUnion.newBuilder().setResolveIntent(ResolveIntentResponse.getDefaultInstance()).build());
                }
                default -> {
                    return Evaluation.failed(ErrorKind.INVALID_ARGUMENT, i, "not a transaction request: " + r.getValueCase());
                }
            }
        } catch (IllegalArgumentException e) {
            return Evaluation.failed(ErrorKind.INVALID_ARGUMENT, i, r.getValueCase() + ": " + e.getMessage());
        }
        return null;
    }

    private Evaluation.Outcome push(ReadWriteBatch batch, PushTxnRequest p, int i, List<ResponseUnion> out) {
        TxnMeta pushee = TxnProtos.toMvcc(p.getPushee());
        byte[] anchor = p.getKey().toByteArray();
        TxnMeta pusher = p.hasPusher() ? TxnProtos.toMvcc(p.getPusher()) : null;
        Optional<TxnRecord> current = load(batch, anchor, pushee);
        TxnRecord synthesized = current.orElseGet(() -> new TxnRecord(pushee, anchor, TxnRecord.Status.PENDING,
                pushee.minTimestamp(), List.of(), List.of()));
        TxnRecord result;
        boolean needsRecovery = false;
        if (p.getPushType() == PushType.PUSH_TOUCH) {
            result = synthesized;
        } else if (p.getForce() && !synthesized.status().finalized() && synthesized.status() != TxnRecord.Status.STAGING) {
            result = new TxnRecord(synthesized.meta(), anchor, TxnRecord.Status.ABORTED, synthesized.lastHeartbeat(),
                    List.of(), synthesized.lockSpans());
            batch.put(KeySpace.LOCAL, Keys.txnRecordKey(anchor, pushee.id()), TxnRecordProtos.toProto(result).toByteArray());
        } else {
            PushPolicy.Want want = p.getPushType() == PushType.PUSH_ABORT ? PushPolicy.Want.LOCK : PushPolicy.Want.TIMESTAMP_ABOVE_READ;
            Timestamp pushTo = p.hasPushTo() ? Timestamps.fromProto(p.getPushTo()) : now;
            TxnRecords.Result res = TxnRecords.push(current, pushee, anchor, want, pusher == null ? 0 : pusher.priority(),
                    pushTo, now, expiry);
            switch (res) {
                case TxnRecords.Result.Accepted a -> result = accept(batch, a);
                case TxnRecords.Result.Refused refused -> {
                    // The pushee is alive and not weaker: the pusher waits (and will push again).
                    if (pusher != null) {
                        waiters.waiting(pushee.id(), pusher);
                    }
                    needsRecovery = refused.reason() == TxnRecords.Refusal.NEEDS_RECOVERY;
                    result = refused.record().orElse(synthesized);
                }
            }
        }
        if (result.status().finalized()) {
            waiters.finished(pushee.id());
        }
        out.add(ResponseUnion.newBuilder().setPushTxn(PushTxnResponse.newBuilder().setPushee(TxnRecordProtos.toProto(result))
                .setNeedsRecovery(needsRecovery)).build());
        return null;
    }

    EndResult endTxn(ReadWriteBatch batch, MvccStats stats, EndTxnRequest q, int i, Evaluation.Context ctx) {
        TxnMeta txn = ctx.txn();
        if (txn == null) {
            return stop(Evaluation.failed(ErrorKind.INVALID_ARGUMENT, i, "EndTxn belongs to a transaction"));
        }
        byte[] anchor = q.getKey().toByteArray();
        Evaluation.Outcome bad = checkAnchor(txn, anchor, i);
        if (bad != null) {
            return stop(bad);
        }
        if (q.getCommit() && txn.isolation() == IsolationLevel.SERIALIZABLE && ctx.readTs().less(txn.writeTimestamp())) {
            return stop(retry(i, RetryReason.RETRY_SERIALIZABLE, txn.writeTimestamp(), "transaction " + txn.id()
                    + " reads at " + ctx.readTs() + " but writes at " + txn.writeTimestamp() + "; refresh its reads first"));
        }
        List<Span> lockSpans = new ArrayList<>();
        for (var s : q.getLockSpansList()) {
            lockSpans.add(TxnProtos.span(s));
        }
        List<TxnRecord.InFlightWrite> inFlight = new ArrayList<>();
        for (var w : q.getInFlightWritesList()) {
            inFlight.add(new TxnRecord.InFlightWrite(w.getKey().toByteArray(), w.getSequence()));
        }
        if (!inFlight.isEmpty() && !ctx.ignored().isEmpty()) {
            // The record does not keep rolled-back sequences, so a recoverer could not tell them.
            return stop(Evaluation.failed(ErrorKind.INVALID_ARGUMENT, i,
                    "a parallel commit cannot carry savepoint rollbacks; prove the writes first"));
        }
        TxnRecords.Result res;
        try {
            res = TxnRecords.endTxn(load(batch, anchor, txn), txn, anchor, q.getCommit(), inFlight, lockSpans, now);
        } catch (IllegalArgumentException e) {
            return stop(Evaluation.failed(ErrorKind.INVALID_ARGUMENT, i, "EndTxn: " + e.getMessage()));
        }
        if (res instanceof TxnRecords.Result.Refused refused) {
            return stop(refusal(refused, i, txn));
        }
        TxnRecord rec = accept(batch, (TxnRecords.Result.Accepted) res);
        Finalized finalized = null;
        if (rec.status().finalized()) {
            finalized = finalizeLocally(batch, stats, rec, lockSpans, ctx.ignored());
        }
        ResponseUnion resp = ResponseUnion.newBuilder().setEndTxn(EndTxnResponse.newBuilder()
                .setRecord(TxnRecordProtos.toProto(rec))).build();
        return new EndResult(resp, finalized, null);
    }

    /** Resolves a finished transaction's intents on this range in the batch; returns what is left elsewhere. */
    private Finalized finalizeLocally(ReadWriteBatch batch, MvccStats stats, TxnRecord rec, List<Span> lockSpans,
                                      List<SeqRange> ignored) {
        TxnMeta txn = rec.meta();
        TxnStatus status = rec.status() == TxnRecord.Status.COMMITTED ? TxnStatus.COMMITTED : TxnStatus.ABORTED;
        LockUpdate u = new LockUpdate(txn.id(), txn.epoch(), status, txn.writeTimestamp(), ignored);
        List<Span> remote = new ArrayList<>();
        for (Span s : lockSpans) {
            resolveLocalPart(batch, stats, s, u, remote);
        }
        waiters.finished(txn.id());
        return new Finalized(txn, status, ignored, remote);
    }

    /** Resolves the part of {@code s} on this range in the batch, and adds the parts elsewhere to {@code remote}. */
    private void resolveLocalPart(ReadWriteBatch batch, MvccStats stats, Span s, LockUpdate u, List<Span> remote) {
        if (s.end() == null || s.end().length == 0) {
            if (Keys.contains(rangeStart, rangeEnd, s.start())) {
                Mvcc.resolveIntent(batch, stats, s.start(), u);
            } else {
                remote.add(new Span(s.start(), null));
            }
            return;
        }
        byte[] lo = Keys.compare(s.start(), rangeStart) > 0 ? s.start() : rangeStart;
        byte[] hi = Keys.compare(s.end(), rangeEnd) < 0 ? s.end() : rangeEnd;
        if (Keys.compare(lo, hi) < 0) {
            Mvcc.resolveIntentRange(batch, stats, lo, hi, u, 0);
        }
        if (Keys.compare(s.start(), rangeStart) < 0) {
            remote.add(new Span(s.start(), Keys.compare(s.end(), rangeStart) < 0 ? s.end() : rangeStart));
        }
        if (Keys.compare(s.end(), rangeEnd) > 0) {
            remote.add(new Span(Keys.compare(s.start(), rangeEnd) > 0 ? s.start() : rangeEnd, s.end()));
        }
    }

    // ---- helpers ----

    private static EndResult stop(Evaluation.Outcome o) {
        return new EndResult(null, null, o);
    }

    private static Evaluation.Outcome checkAnchor(TxnMeta txn, byte[] anchor, int i) {
        if (anchor.length == 0 || !Arrays.equals(anchor, txn.anchorKey())) {
            return Evaluation.failed(ErrorKind.INVALID_ARGUMENT, i, "the request's key " + Keys.pretty(anchor)
                    + " is not the transaction's anchor " + Keys.pretty(txn.anchorKey()));
        }
        return null;
    }

    static Optional<TxnRecord> load(EngineReader reader, byte[] anchor, TxnMeta txn) {
        byte[] key = Keys.txnRecordKey(anchor, txn.id());
        byte[] v = reader.get(KeySpace.LOCAL, key);
        return v == null ? Optional.empty() : Optional.of(TxnRecordProtos.decode(key, v));
    }

    private static TxnRecord accept(ReadWriteBatch batch, TxnRecords.Result.Accepted a) {
        a.write().ifPresent(rec -> batch.put(KeySpace.LOCAL, Keys.txnRecordKey(rec.anchorKey(), rec.meta().id()),
                TxnRecordProtos.toProto(rec).toByteArray()));
        return a.record();
    }

    private static Evaluation.Outcome refusal(TxnRecords.Result.Refused r, int i, TxnMeta txn) {
        return switch (r.reason()) {
            case ABORTED -> new Evaluation.Outcome.Failed(Error.newBuilder().setKind(ErrorKind.TRANSACTION_ABORTED).setIndex(i)
                    .setRetryReason(RetryReason.RETRY_ABORTED_BY_PUSHER).setMessage(r.message()).build());
            case RETRY_SERIALIZABLE -> retry(i, RetryReason.RETRY_SERIALIZABLE,
                    r.record().map(x -> x.meta().writeTimestamp()).orElse(txn.writeTimestamp()), r.message());
            case STALE_EPOCH -> Evaluation.failed(ErrorKind.TRANSACTION_STATUS, i, r.message());
            case ALREADY_COMMITTED -> Evaluation.failed(ErrorKind.TRANSACTION_STATUS, i, r.message());
            case PUSH_FAILED, NEEDS_RECOVERY -> Evaluation.failed(ErrorKind.INTERNAL, i, "unexpected refusal: " + r.message());
        };
    }

    /** A retry error; {@code writeTs} is where the transaction must move (carried in the error's txn by the replica). */
    static Evaluation.Outcome retry(int i, RetryReason reason, Timestamp writeTs, String message) {
        return new Evaluation.Outcome.Failed(Error.newBuilder().setKind(ErrorKind.TRANSACTION_RETRY).setIndex(i)
                .setRetryReason(reason).setExistingTimestamp(Timestamps.toProto(writeTs)).setMessage(message).build());
    }

    static TxnStatus status(TransactionStatus s) {
        return switch (s) {
            case PENDING -> TxnStatus.PENDING;
            case COMMITTED -> TxnStatus.COMMITTED;
            case ABORTED -> TxnStatus.ABORTED;
            default -> throw new IllegalArgumentException("cannot resolve intents as " + s);
        };
    }
}
