package dev.meridian.cluster.kv;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.ConditionalPutResponse;
import dev.meridian.proto.kv.DeleteResponse;
import dev.meridian.proto.kv.Error;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.FirstRangeResponse;
import dev.meridian.proto.kv.GetResponse;
import dev.meridian.proto.kv.IncrementResponse;
import dev.meridian.proto.kv.KeyValue;
import dev.meridian.proto.kv.Lease;
import dev.meridian.proto.kv.PutResponse;
import dev.meridian.proto.kv.RangeDescriptor;
import dev.meridian.proto.kv.ReplicaDescriptor;
import dev.meridian.proto.kv.ReplicaType;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.ResponseUnion;
import dev.meridian.proto.kv.ScanRequest;
import dev.meridian.proto.kv.ScanResponse;
import io.grpc.Status;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A deterministic simulated cluster behind {@link RangeTransport}: ranges with descriptors and
 * leaseholders over one shared key-value map, evaluated synchronously as a node would (span
 * check, lease check, then the requests). Its state changes only through the test: splits and
 * lease moves the DistSender's cache does not hear about, unreachable nodes, nodes that apply a
 * write and then lose the answer, nodes that never answer. Every send is logged.
 */
final class FakeCluster implements RangeTransport {

    /** How a node fails. */
    enum Fault {
        /** The call fails (gRPC UNAVAILABLE); nothing reaches the node. */
        UNREACHABLE,
        /** The connection is refused: the transport proves nothing was sent. */
        REFUSED,
        /** The node applies the batch, then the answer is lost (DEADLINE_EXCEEDED). */
        LOSE_ANSWER,
        /** The call never completes. */
        HANG,
        /** The call completes (evaluated then) when the test calls {@link #releaseDeferred()}. */
        DEFER
    }

    record Sent(long nodeId, BatchRequest request) {
    }

    private static final class FakeRange {
        RangeDescriptor desc;
        long leaseholder;
        long leaseSequence = 1;

        FakeRange(RangeDescriptor desc, long leaseholder) {
            this.desc = desc;
            this.leaseholder = leaseholder;
        }
    }

    private final TreeMap<KeyBytes, byte[]> data = new TreeMap<>();
    private final List<FakeRange> ranges = new ArrayList<>();
    private final Map<Long, Fault> faults = new TreeMap<>();
    private final List<Sent> log = new ArrayList<>();
    private final List<Runnable> deferred = new ArrayList<>();
    private final Map<Long, List<ErrorKind>> scriptedErrors = new TreeMap<>();
    private long nextRangeId = 1;
    /** Meta rows as of the last descriptor change; null: to be rebuilt. */
    private TreeMap<KeyBytes, byte[]> meta;
    private boolean hints = true;
    private int scanPageSize;
    private int firstRangeCalls;

    /**
     * Two ranges: the first (meta) range {@code [MIN, USER_MIN)} and {@code [USER_MIN, MAX)},
     * both replicated on {@code nodes} with the lease on the first node.
     */
    FakeCluster(long... nodes) {
        ranges.add(new FakeRange(descriptor(nextRangeId++, Keys.MIN, Keys.USER_MIN, 1, nodes), nodes[0]));
        ranges.add(new FakeRange(descriptor(nextRangeId++, Keys.USER_MIN, Keys.MAX, 1, nodes), nodes[0]));
    }

    static RangeDescriptor descriptor(long id, byte[] start, byte[] end, long generation, long... nodes) {
        RangeDescriptor.Builder b = RangeDescriptor.newBuilder().setRangeId(id)
                .setStartKey(ByteString.copyFrom(start)).setEndKey(ByteString.copyFrom(end)).setGeneration(generation);
        for (long n : nodes) {
            b.addReplicas(ReplicaDescriptor.newBuilder().setNodeId(n).setStoreId(n).setReplicaId(n).setType(ReplicaType.VOTER));
        }
        return b.setNextReplicaId(nodes.length + 1).build();
    }

    static byte[] key(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    // ---- what tests do behind the DistSender's back ----

    /** Splits the range holding {@code at}; the right half gets a new id, both the next generation. */
    synchronized void split(String at, long rightLeaseholder) {
        byte[] k = key(at);
        FakeRange left = rangeFor(k);
        RangeDescriptor old = left.desc;
        long gen = old.getGeneration() + 1;
        left.desc = old.toBuilder().setEndKey(ByteString.copyFrom(k)).setGeneration(gen).build();
        RangeDescriptor right = old.toBuilder().setRangeId(nextRangeId++).setStartKey(ByteString.copyFrom(k))
                .setGeneration(gen).build();
        ranges.add(ranges.indexOf(left) + 1, new FakeRange(right, rightLeaseholder));
        meta = null;
    }

    synchronized void moveLease(String keyInRange, long node) {
        moveLease(key(keyInRange), node);
    }

    synchronized void moveLease(byte[] keyInRange, long node) {
        FakeRange r = rangeFor(keyInRange);
        r.leaseholder = node;
        r.leaseSequence++;
    }

    /** Moves the range holding {@code keyInRange} to {@code nodes} (next generation), lease on the first. */
    synchronized void relocate(byte[] keyInRange, long... nodes) {
        FakeRange r = rangeFor(keyInRange);
        RangeDescriptor d = r.desc;
        r.desc = descriptor(d.getRangeId(), d.getStartKey().toByteArray(), d.getEndKey().toByteArray(),
                d.getGeneration() + 1, nodes);
        meta = null;
        r.leaseholder = nodes[0];
        r.leaseSequence++;
    }

    synchronized void fault(long node, Fault fault) {
        faults.put(node, fault);
    }

    /** The node's next batches fail with these errors, in order, before being evaluated. */
    synchronized void failNext(long node, ErrorKind... kinds) {
        scriptedErrors.computeIfAbsent(node, n -> new ArrayList<>()).addAll(List.of(kinds));
    }

    /** Completes every deferred call, in the order they were sent. */
    void releaseDeferred() {
        List<Runnable> now;
        synchronized (this) {
            now = List.copyOf(deferred);
            deferred.clear();
        }
        now.forEach(Runnable::run);
    }

    synchronized void heal(long node) {
        faults.remove(node);
    }

    /** Whether NOT_LEASEHOLDER carries the leaseholder. */
    synchronized void leaseHints(boolean on) {
        hints = on;
    }

    /** Nodes stop every scan after this many rows (0: only max_keys), setting resume_key. */
    synchronized void scanPageSize(int rows) {
        scanPageSize = rows;
    }

    synchronized void load(String... keys) {
        for (String k : keys) {
            data.put(new KeyBytes(key(k)), key("v-" + k));
        }
    }

    synchronized byte[] value(String k) {
        return data.get(new KeyBytes(key(k)));
    }

    synchronized List<Sent> log() {
        return List.copyOf(log);
    }

    synchronized void clearLog() {
        log.clear();
    }

    synchronized int firstRangeCalls() {
        return firstRangeCalls;
    }

    synchronized RangeDescriptor rangeDescriptorFor(String k) {
        return rangeFor(key(k)).desc;
    }

    synchronized long leaseholderOf(String k) {
        return rangeFor(key(k)).leaseholder;
    }

    /** Sends that carried a request of this case (e.g. to count meta scans or put attempts). */
    synchronized List<Sent> sentWith(RequestUnion.ValueCase kind, boolean metaOnly) {
        return log.stream().filter(s -> s.request().getRequestsList().stream().anyMatch(r -> r.getValueCase() == kind
                && (!metaOnly || (r.hasScan() && Keys.compare(r.getScan().getStartKey().toByteArray(), Keys.META_MAX) < 0))))
                .toList();
    }

    private FakeRange rangeFor(byte[] k) {
        for (FakeRange r : ranges) {
            if (Keys.contains(r.desc.getStartKey().toByteArray(), r.desc.getEndKey().toByteArray(), k)) {
                return r;
            }
        }
        throw new IllegalStateException("no range for " + Keys.pretty(k));
    }

    // ---- RangeTransport ----

    @Override
    public synchronized CompletableFuture<FirstRangeResponse> firstRange() {
        firstRangeCalls++;
        FakeRange first = ranges.get(0);
        return CompletableFuture.completedFuture(FirstRangeResponse.newBuilder().setRangeDescriptor(first.desc)
                .setLease(lease(first)).build());
    }

    @Override
    public synchronized CompletableFuture<BatchResponse> send(long nodeId, BatchRequest request) {
        log.add(new Sent(nodeId, request));
        Fault fault = faults.get(nodeId);
        if (fault == Fault.UNREACHABLE) {
            return CompletableFuture.failedFuture(Status.UNAVAILABLE.withDescription("n" + nodeId + " down").asRuntimeException());
        }
        if (fault == Fault.REFUSED) {
            return CompletableFuture.failedFuture(new RequestNotSentException("n" + nodeId + " refused", null));
        }
        if (fault == Fault.HANG) {
            return new CompletableFuture<>();
        }
        if (fault == Fault.DEFER) {
            CompletableFuture<BatchResponse> later = new CompletableFuture<>();
            deferred.add(() -> {
                BatchResponse resp;
                synchronized (this) {
                    resp = evaluate(nodeId, request);
                }
                later.complete(resp);
            });
            return later;
        }
        List<ErrorKind> scripted = scriptedErrors.get(nodeId);
        if (scripted != null && !scripted.isEmpty()) {
            return CompletableFuture.completedFuture(error(scripted.remove(0), "scripted",
                    Error.newBuilder().setIndex(-1)));
        }
        BatchResponse resp = evaluate(nodeId, request);
        if (fault == Fault.LOSE_ANSWER) {
            return CompletableFuture.failedFuture(Status.DEADLINE_EXCEEDED.asRuntimeException());
        }
        return CompletableFuture.completedFuture(resp);
    }

    private Lease lease(FakeRange r) {
        return Lease.newBuilder().setReplica(ReplicaDescriptor.newBuilder().setNodeId(r.leaseholder))
                .setSequence(r.leaseSequence).build();
    }

    private static BatchResponse error(ErrorKind kind, String message, Error.Builder extra) {
        return BatchResponse.newBuilder().setError(extra.setKind(kind).setMessage(message)).build();
    }

    private BatchResponse evaluate(long nodeId, BatchRequest request) {
        FakeRange range = ranges.stream().filter(r -> r.desc.getRangeId() == request.getHeader().getRangeId())
                .findFirst().orElse(null);
        if (range == null || range.desc.getReplicasList().stream().noneMatch(r -> r.getNodeId() == nodeId)) {
            return error(ErrorKind.RANGE_NOT_FOUND, "r" + request.getHeader().getRangeId() + " not on n" + nodeId,
                    Error.newBuilder().setIndex(-1));
        }
        byte[] start = range.desc.getStartKey().toByteArray();
        byte[] end = range.desc.getEndKey().toByteArray();
        for (RequestUnion r : request.getRequestsList()) {
            boolean inside = r.hasScan()
                    ? Keys.containsSpan(start, end, r.getScan().getStartKey().toByteArray(), r.getScan().getEndKey().toByteArray())
                    : Keys.contains(start, end, BatchRequests.pointKey(r));
            if (!inside) {
                byte[] k = r.hasScan() ? r.getScan().getStartKey().toByteArray() : BatchRequests.pointKey(r);
                Error.Builder e = Error.newBuilder().setIndex(-1).addDescriptors(range.desc);
                if (Keys.compare(k, Keys.MAX) < 0) {
                    e.addDescriptors(rangeFor(k).desc);
                }
                return error(ErrorKind.RANGE_KEY_MISMATCH, "keys outside r" + range.desc.getRangeId(), e);
            }
        }
        if (range.leaseholder != nodeId) {
            Error.Builder e = Error.newBuilder().setIndex(-1);
            if (hints) {
                e.setLeaseHint(lease(range));
            }
            return error(ErrorKind.NOT_LEASEHOLDER, "n" + nodeId + " does not hold r" + range.desc.getRangeId(), e);
        }
        // Check conditions first: a failed batch writes nothing.
        for (int i = 0; i < request.getRequestsCount(); i++) {
            RequestUnion r = request.getRequests(i);
            if (r.hasConditionalPut()) {
                byte[] actual = data.get(new KeyBytes(r.getConditionalPut().getKey().toByteArray()));
                byte[] expected = r.getConditionalPut().hasExpected() ? r.getConditionalPut().getExpected().toByteArray() : null;
                if (!java.util.Arrays.equals(actual, expected)) {
                    Error.Builder e = Error.newBuilder().setIndex(i);
                    if (actual != null) {
                        e.setActualValue(ByteString.copyFrom(actual));
                    }
                    return error(ErrorKind.CONDITION_FAILED, "unexpected value", e);
                }
            }
        }
        BatchResponse.Builder out = BatchResponse.newBuilder();
        for (RequestUnion r : request.getRequestsList()) {
            out.addResponses(apply(r));
        }
        return out.build();
    }

    private ResponseUnion apply(RequestUnion r) {
        ResponseUnion.Builder out = ResponseUnion.newBuilder();
        switch (r.getValueCase()) {
            case GET -> {
                byte[] v = data.get(new KeyBytes(r.getGet().getKey().toByteArray()));
                GetResponse.Builder g = GetResponse.newBuilder();
                if (v != null) {
                    g.setValue(ByteString.copyFrom(v));
                }
                out.setGet(g);
            }
            case PUT -> {
                data.put(new KeyBytes(r.getPut().getKey().toByteArray()), r.getPut().getValue().toByteArray());
                out.setPut(PutResponse.getDefaultInstance());
            }
            case DELETE -> {
                data.remove(new KeyBytes(r.getDelete().getKey().toByteArray()));
                out.setDelete(DeleteResponse.getDefaultInstance());
            }
            case CONDITIONAL_PUT -> {
                data.put(new KeyBytes(r.getConditionalPut().getKey().toByteArray()), r.getConditionalPut().getValue().toByteArray());
                out.setConditionalPut(ConditionalPutResponse.getDefaultInstance());
            }
            case INCREMENT -> {
                KeyBytes k = new KeyBytes(r.getIncrement().getKey().toByteArray());
                byte[] old = data.get(k);
                long v = (old == null ? 0 : ByteBuffer.wrap(old).getLong()) + r.getIncrement().getDelta();
                data.put(k, ByteBuffer.allocate(8).putLong(v).array());
                out.setIncrement(IncrementResponse.newBuilder().setNewValue(v));
            }
            case SCAN -> out.setScan(scan(r.getScan()));
            default -> throw new IllegalArgumentException("fake cluster does not do " + r.getValueCase());
        }
        return out.build();
    }

    private NavigableMap<KeyBytes, byte[]> meta() {
        if (meta == null) {
            meta = new TreeMap<>();
            for (FakeRange r : ranges) {
                meta.put(new KeyBytes(Keys.metaKey(r.desc.getEndKey().toByteArray())), r.desc.toByteArray());
            }
        }
        return meta;
    }

    private ScanResponse scan(ScanRequest s) {
        // The first range holds meta rows only (tests keep data at USER_MIN and above).
        NavigableMap<KeyBytes, byte[]> view = Keys.compare(s.getStartKey().toByteArray(), Keys.META_MAX) < 0 ? meta() : data;
        NavigableMap<KeyBytes, byte[]> span = view.subMap(new KeyBytes(s.getStartKey().toByteArray()), true,
                new KeyBytes(s.getEndKey().toByteArray()), false);
        if (s.getReverse()) {
            span = span.descendingMap();
        }
        long limit = s.getMaxKeys() == 0 ? Long.MAX_VALUE : s.getMaxKeys();
        if (scanPageSize > 0) {
            limit = Math.min(limit, scanPageSize);
        }
        ScanResponse.Builder out = ScanResponse.newBuilder();
        for (Map.Entry<KeyBytes, byte[]> e : span.entrySet()) {
            if (out.getRowsCount() == limit) {
                KeyValue last = out.getRows(out.getRowsCount() - 1);
                out.setResumeKey(s.getReverse() ? last.getKey() : ByteString.copyFrom(Keys.next(last.getKey().toByteArray())));
                break;
            }
            out.addRows(KeyValue.newBuilder().setKey(ByteString.copyFrom(e.getKey().bytes())).setValue(ByteString.copyFrom(e.getValue())));
        }
        return out.build();
    }
}
