package dev.meridian.cluster.replica;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.time.Timestamps;
import dev.meridian.proto.kv.ConditionalPutResponse;
import dev.meridian.proto.kv.DeleteResponse;
import dev.meridian.proto.kv.Error;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.GetResponse;
import dev.meridian.proto.kv.IncrementResponse;
import dev.meridian.proto.kv.KeyValue;
import dev.meridian.proto.kv.PutResponse;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.ResponseUnion;
import dev.meridian.proto.kv.ScanRequest;
import dev.meridian.proto.kv.ScanResponse;
import dev.meridian.storage.EngineReader;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.mvcc.GetResult;
import dev.meridian.storage.mvcc.LockConflict;
import dev.meridian.storage.mvcc.Mvcc;
import dev.meridian.storage.mvcc.MvccStats;
import dev.meridian.storage.mvcc.ReadOptions;
import dev.meridian.storage.mvcc.ScanLimits;
import dev.meridian.storage.mvcc.ScanResult;
import dev.meridian.storage.mvcc.SeqRange;
import dev.meridian.storage.mvcc.Span;
import dev.meridian.storage.mvcc.Timestamp;
import dev.meridian.storage.mvcc.TxnMeta;
import dev.meridian.storage.mvcc.WriteOptions;
import dev.meridian.storage.mvcc.WriteResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Evaluates the KV requests of one batch on one range: reads from the engine, writes into a
 * {@link ReadWriteBatch} (which later requests of the batch read through) and an
 * {@link MvccStats} delta. Nothing here touches replication; the replica proposes the batch this
 * produces. A non-transactional batch reads and writes at one timestamp and its writes commit at
 * once; a transactional one reads at the transaction's read timestamp (with its uncertainty
 * limit, seeing its own writes up to each request's sequence) and writes intents at its write
 * timestamp. The transaction-record requests are evaluated by {@link TxnEvaluation}.
 */
final class Evaluation {

    /** The most bytes a scan returns from one range before it stops with a resume key. */
    static final long SCAN_MAX_BYTES = 8L << 20;

    private Evaluation() {
    }

    /**
     * How a batch is evaluated.
     *
     * @param readTs           reads see versions at or below it
     * @param writeTs          writes happen here (equal to readTs for a non-transactional batch)
     * @param uncertaintyLimit versions in (readTs, limit] make a read uncertain; {@code <= readTs}: none
     * @param txn              the transaction (its write timestamp is {@code writeTs}), or null
     * @param ignored          the transaction's rolled-back sequences
     */
    record Context(Timestamp readTs, Timestamp writeTs, Timestamp uncertaintyLimit, TxnMeta txn, List<SeqRange> ignored) {
        Context {
            Objects.requireNonNull(readTs, "readTs");
            Objects.requireNonNull(writeTs, "writeTs");
            ignored = List.copyOf(ignored);
        }

        static Context nonTxn(Timestamp ts) {
            return new Context(ts, ts, ts, null, List.of());
        }

        Context withWriteTs(Timestamp ts) {
            return txn == null ? nonTxn(ts) : new Context(readTs, ts, uncertaintyLimit, txn.withWriteTimestamp(ts), ignored);
        }

        ReadOptions read(int seq) {
            if (txn == null) {
                return ReadOptions.at(readTs);
            }
            return new ReadOptions(readTs, uncertaintyLimit, txn.withSequence(seq), ignored);
        }

        WriteOptions write(int seq) {
            return txn == null ? WriteOptions.at(writeTs) : WriteOptions.txn(txn.withSequence(seq), ignored);
        }
    }

    /** The outcome: responses in request order, or why there are none. */
    sealed interface Outcome {
        /**
         * Evaluated. {@code readSpans} are the spans read (for the timestamp cache) and
         * {@code finalized}, when an EndTxn finished the transaction, is what to resolve elsewhere.
         */
        record Done(List<ResponseUnion> responses, List<Span> readSpans, TxnEvaluation.Finalized finalized) implements Outcome {
        }

        /** A committed version at or above the write timestamp: evaluate again at {@code retryAt}. */
        record WriteTooOld(Timestamp retryAt) implements Outcome {
        }

        /** Other transactions' intents are in the way: push them, then evaluate again. */
        record Conflicts(List<LockConflict> conflicts, boolean writer) implements Outcome {
        }

        /** A read met a value in its uncertainty window. */
        record Uncertain(byte[] key, Timestamp existing) implements Outcome {
        }

        record Failed(Error error) implements Outcome {
        }
    }

    static boolean isWrite(RequestUnion r) {
        return switch (r.getValueCase()) {
            case PUT, DELETE, CONDITIONAL_PUT, INCREMENT, HEARTBEAT_TXN, END_TXN, PUSH_TXN, RESOLVE_INTENT, RECOVER_TXN -> true;
            default -> false;
        };
    }

    static boolean isAdmin(RequestUnion r) {
        return switch (r.getValueCase()) {
            case ADMIN_SPLIT, ADMIN_TRANSFER_LEASE, ADMIN_CHANGE_REPLICAS -> true;
            default -> false;
        };
    }

    /** Reads only: evaluated straight on {@code reader}. */
    static Outcome read(EngineReader reader, List<RequestUnion> requests, Context ctx, TxnEvaluation txns) {
        List<ResponseUnion> out = new ArrayList<>(requests.size());
        List<Span> read = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            RequestUnion r = requests.get(i);
            Outcome stop = readOne(reader, r, i, ctx, txns, out, read);
            if (stop != null) {
                return stop;
            }
        }
        return new Outcome.Done(out, read, null);
    }

    /** A read request; null when it added its response to {@code out}, else the outcome that ends the batch. */
    private static Outcome readOne(EngineReader reader, RequestUnion r, int i, Context ctx, TxnEvaluation txns,
                                   List<ResponseUnion> out, List<Span> read) {
        return switch (r.getValueCase()) {
            case GET -> get(reader, r.getGet().getKey().toByteArray(), ctx.read(r.getSequence()), out, read);
            case SCAN -> scan(reader, r.getScan(), ctx.read(r.getSequence()), out, read);
            case QUERY_INTENT, REFRESH, QUERY_TXN -> txns.read(reader, r, i, ctx, out, read);
            default -> failed(ErrorKind.INVALID_ARGUMENT, i, "not a read: " + r.getValueCase());
        };
    }

    /** Reads and writes, in order, into {@code batch}; {@code stats} collects the delta. */
    static Outcome readWrite(ReadWriteBatch batch, MvccStats stats, List<RequestUnion> requests, Context ctx,
                             TxnEvaluation txns) {
        List<ResponseUnion> out = new ArrayList<>(requests.size());
        List<Span> read = new ArrayList<>();
        TxnEvaluation.Finalized finalized = null;
        for (int i = 0; i < requests.size(); i++) {
            RequestUnion r = requests.get(i);
            if (!isWrite(r)) {
                Outcome stop = readOne(batch, r, i, ctx, txns, out, read);
                if (stop != null) {
                    return stop;
                }
                continue;
            }
            switch (r.getValueCase()) {
                case HEARTBEAT_TXN, PUSH_TXN, RESOLVE_INTENT, RECOVER_TXN -> {
                    Outcome stop = txns.write(batch, stats, r, i, ctx, out);
                    if (stop != null) {
                        return stop;
                    }
                    continue;
                }
                case END_TXN -> {
                    if (i != requests.size() - 1) {
                        return failed(ErrorKind.INVALID_ARGUMENT, i, "EndTxn must be the last request of its batch");
                    }
                    TxnEvaluation.EndResult end = txns.endTxn(batch, stats, r.getEndTxn(), i, ctx);
                    if (end.stop() != null) {
                        return end.stop();
                    }
                    out.add(end.response());
                    finalized = end.finalized();
                    continue;
                }
                default -> {
                }
            }
            ResponseUnion.Builder resp = ResponseUnion.newBuilder();
            WriteOptions wo = ctx.write(r.getSequence());
            WriteResult w;
            switch (r.getValueCase()) {
                case PUT -> {
                    w = Mvcc.put(batch, stats, r.getPut().getKey().toByteArray(), r.getPut().getValue().toByteArray(), wo);
                    if (w.ok()) {
                        resp.setPut(PutResponse.newBuilder().setTimestamp(Timestamps.toProto(w.timestamp())));
                    }
                }
                case DELETE -> {
                    w = Mvcc.delete(batch, stats, r.getDelete().getKey().toByteArray(), wo);
                    if (w.ok()) {
                        resp.setDelete(DeleteResponse.newBuilder().setTimestamp(Timestamps.toProto(w.timestamp())));
                    }
                }
                case CONDITIONAL_PUT -> {
                    var c = r.getConditionalPut();
                    w = Mvcc.conditionalPut(batch, stats, c.getKey().toByteArray(), c.getValue().toByteArray(),
                            c.hasExpected() ? c.getExpected().toByteArray() : null, wo);
                    if (w.ok()) {
                        resp.setConditionalPut(ConditionalPutResponse.newBuilder().setTimestamp(Timestamps.toProto(w.timestamp())));
                    }
                }
                case INCREMENT -> {
                    try {
                        w = Mvcc.increment(batch, stats, r.getIncrement().getKey().toByteArray(), r.getIncrement().getDelta(), wo);
                    } catch (IllegalArgumentException | ArithmeticException e) {
                        return failed(ErrorKind.INVALID_ARGUMENT, i, "increment: " + e.getMessage());
                    }
                    if (w.ok()) {
                        resp.setIncrement(IncrementResponse.newBuilder().setNewValue(java.nio.ByteBuffer.wrap(w.value()).getLong()));
                    }
                }
                default -> {
                    return failed(ErrorKind.INVALID_ARGUMENT, i, "request " + r.getValueCase() + " cannot be batched");
                }
            }
            switch (w.status()) {
                case OK -> out.add(resp.build());
                case WRITE_TOO_OLD -> {
                    return new Outcome.WriteTooOld(w.timestamp());
                }
                case CONDITION_FAILED -> {
                    Error.Builder e = Error.newBuilder().setKind(ErrorKind.CONDITION_FAILED).setIndex(i)
                            .setMessage("unexpected value");
                    if (w.value() != null) {
                        e.setActualValue(ByteString.copyFrom(w.value()));
                    }
                    return new Outcome.Failed(e.build());
                }
                case LOCK_CONFLICT -> {
                    return new Outcome.Conflicts(w.conflicts(), true);
                }
            }
        }
        return new Outcome.Done(out, read, finalized);
    }

    private static Outcome get(EngineReader reader, byte[] key, ReadOptions ro, List<ResponseUnion> out, List<Span> read) {
        GetResult g = Mvcc.get(reader, key, ro);
        GetResponse.Builder b = GetResponse.newBuilder();
        switch (g.status()) {
            case FOUND -> b.setValue(ByteString.copyFrom(g.value())).setTimestamp(Timestamps.toProto(g.timestamp()));
            case NOT_FOUND -> {
            }
            case INTENT -> {
                return new Outcome.Conflicts(List.of(g.conflict()), false);
            }
            case UNCERTAIN -> {
                return new Outcome.Uncertain(key, g.timestamp());
            }
        }
        out.add(ResponseUnion.newBuilder().setGet(b).build());
        read.add(new Span(key, null));
        return null;
    }

    private static Outcome scan(EngineReader reader, ScanRequest s, ReadOptions ro, List<ResponseUnion> out, List<Span> read) {
        ScanLimits limits = new ScanLimits(s.getMaxKeys(), SCAN_MAX_BYTES);
        byte[] start = s.getStartKey().toByteArray();
        byte[] end = s.getEndKey().toByteArray();
        ScanResult r = s.getReverse() ? Mvcc.reverseScan(reader, start, end, ro, limits)
                : Mvcc.scan(reader, start, end, ro, limits);
        switch (r.status()) {
            case INTENT -> {
                return new Outcome.Conflicts(r.conflicts(), false);
            }
            case UNCERTAIN -> {
                return new Outcome.Uncertain(r.uncertainKey(), r.uncertainTimestamp());
            }
            case OK -> {
            }
        }
        ScanResponse.Builder b = ScanResponse.newBuilder();
        for (var kv : r.rows()) {
            b.addRows(KeyValue.newBuilder().setKey(ByteString.copyFrom(kv.key())).setValue(ByteString.copyFrom(kv.value()))
                    .setTimestamp(Timestamps.toProto(kv.timestamp())));
        }
        if (r.resumeSpan() != null) {
            b.setResumeKey(ByteString.copyFrom(s.getReverse() ? r.resumeSpan().end() : r.resumeSpan().start()));
            // Only what was read counts for the timestamp cache.
            read.add(s.getReverse() ? new Span(r.resumeSpan().end(), end) : new Span(start, r.resumeSpan().start()));
        } else {
            read.add(new Span(start, end));
        }
        out.add(ResponseUnion.newBuilder().setScan(b).build());
        return null;
    }

    static Outcome failed(ErrorKind kind, int index, String message) {
        return new Outcome.Failed(Error.newBuilder().setKind(kind).setIndex(index).setMessage(message).build());
    }
}
