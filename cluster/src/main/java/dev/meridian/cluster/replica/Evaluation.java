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
import dev.meridian.storage.mvcc.Mvcc;
import dev.meridian.storage.mvcc.MvccStats;
import dev.meridian.storage.mvcc.ReadOptions;
import dev.meridian.storage.mvcc.ScanLimits;
import dev.meridian.storage.mvcc.ScanResult;
import dev.meridian.storage.mvcc.Timestamp;
import dev.meridian.storage.mvcc.WriteOptions;
import dev.meridian.storage.mvcc.WriteResult;

import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates the KV requests of one batch on one range at one timestamp: reads from the engine,
 * writes into a {@link ReadWriteBatch} (which later requests of the batch read through) and
 * an {@link MvccStats} delta. Nothing here touches replication; the replica proposes the batch
 * this produces. Non-transactional: every write commits at the batch timestamp.
 */
final class Evaluation {

    /** The most bytes a scan returns from one range before it stops with a resume key. */
    static final long SCAN_MAX_BYTES = 8L << 20;

    private Evaluation() {
    }

    /** The outcome: responses in request order, or the error of the request that failed. */
    sealed interface Outcome {
        record Done(List<ResponseUnion> responses) implements Outcome {
        }

        /** A committed version at or above the timestamp: evaluate again at {@code retryAt}. */
        record WriteTooOld(Timestamp retryAt) implements Outcome {
        }

        record Failed(Error error) implements Outcome {
        }
    }

    static boolean isWrite(RequestUnion r) {
        return switch (r.getValueCase()) {
            case PUT, DELETE, CONDITIONAL_PUT, INCREMENT -> true;
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
    static Outcome read(EngineReader reader, List<RequestUnion> requests, Timestamp ts) {
        List<ResponseUnion> out = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            RequestUnion r = requests.get(i);
            ResponseUnion resp = switch (r.getValueCase()) {
                case GET -> get(reader, r.getGet().getKey().toByteArray(), ts);
                case SCAN -> scan(reader, r.getScan(), ts);
                default -> null;
            };
            if (resp == null) {
                return failed(ErrorKind.INVALID_ARGUMENT, i, "not a read: " + r.getValueCase());
            }
            out.add(resp);
        }
        return new Outcome.Done(out);
    }

    /** Reads and writes, in order, into {@code batch}; {@code stats} collects the delta. */
    static Outcome readWrite(ReadWriteBatch batch, MvccStats stats, List<RequestUnion> requests, Timestamp ts) {
        List<ResponseUnion> out = new ArrayList<>(requests.size());
        WriteOptions wo = WriteOptions.at(ts);
        for (int i = 0; i < requests.size(); i++) {
            RequestUnion r = requests.get(i);
            ResponseUnion.Builder resp = ResponseUnion.newBuilder();
            WriteResult w;
            switch (r.getValueCase()) {
                case GET -> {
                    out.add(get(batch, r.getGet().getKey().toByteArray(), ts));
                    continue;
                }
                case SCAN -> {
                    out.add(scan(batch, r.getScan(), ts));
                    continue;
                }
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
                    // No transactions write intents yet (they arrive with the transaction layer).
                    return failed(ErrorKind.INTERNAL, i, "unexpected intent on " + w.conflicts());
                }
            }
        }
        return new Outcome.Done(out);
    }

    private static ResponseUnion get(EngineReader reader, byte[] key, Timestamp ts) {
        GetResult g = Mvcc.get(reader, key, ReadOptions.at(ts));
        GetResponse.Builder b = GetResponse.newBuilder();
        if (g.status() == GetResult.Status.FOUND) {
            b.setValue(ByteString.copyFrom(g.value())).setTimestamp(Timestamps.toProto(g.timestamp()));
        } else if (g.status() != GetResult.Status.NOT_FOUND) {
            throw new IllegalStateException("non-transactional read met " + g.status() + " on " + g.conflict());
        }
        return ResponseUnion.newBuilder().setGet(b).build();
    }

    private static ResponseUnion scan(EngineReader reader, ScanRequest s, Timestamp ts) {
        ScanLimits limits = new ScanLimits(s.getMaxKeys(), SCAN_MAX_BYTES);
        byte[] start = s.getStartKey().toByteArray();
        byte[] end = s.getEndKey().toByteArray();
        ScanResult r = s.getReverse() ? Mvcc.reverseScan(reader, start, end, ReadOptions.at(ts), limits)
                : Mvcc.scan(reader, start, end, ReadOptions.at(ts), limits);
        if (r.status() != ScanResult.Status.OK) {
            throw new IllegalStateException("non-transactional scan met " + r.status());
        }
        ScanResponse.Builder b = ScanResponse.newBuilder();
        for (var kv : r.rows()) {
            b.addRows(KeyValue.newBuilder().setKey(ByteString.copyFrom(kv.key())).setValue(ByteString.copyFrom(kv.value()))
                    .setTimestamp(Timestamps.toProto(kv.timestamp())));
        }
        if (r.resumeSpan() != null) {
            b.setResumeKey(ByteString.copyFrom(s.getReverse() ? r.resumeSpan().end() : r.resumeSpan().start()));
        }
        return ResponseUnion.newBuilder().setScan(b).build();
    }

    static Outcome failed(ErrorKind kind, int index, String message) {
        return new Outcome.Failed(Error.newBuilder().setKind(kind).setIndex(index).setMessage(message).build());
    }
}
