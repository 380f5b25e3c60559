package dev.meridian.cluster.kv;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.Error;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.ScanRequest;

import java.util.List;
import java.util.Optional;

/** What the DistSender needs to know about a request: its routing key, whether it writes, and whether it is well formed. */
public final class BatchRequests {

    private BatchRequests() {
    }

    /** Whether {@code r} may change data (and so must not be sent twice when its outcome is unknown). */
    public static boolean isWrite(RequestUnion r) {
        return switch (r.getValueCase()) {
            case GET, SCAN, QUERY_INTENT, REFRESH, QUERY_TXN -> false;
            default -> true;
        };
    }

    /** Whether any of {@code requests} changes data. */
    public static boolean anyWrite(List<RequestUnion> requests) {
        return requests.stream().anyMatch(BatchRequests::isWrite);
    }

    /**
     * The key a point request is routed by (a scan's is its span); the same key replicas latch.
     *
     * @throws IllegalArgumentException for a scan or a request without a key
     */
    public static byte[] pointKey(RequestUnion r) {
        return switch (r.getValueCase()) {
            case GET -> r.getGet().getKey().toByteArray();
            case PUT -> r.getPut().getKey().toByteArray();
            case DELETE -> r.getDelete().getKey().toByteArray();
            case CONDITIONAL_PUT -> r.getConditionalPut().getKey().toByteArray();
            case INCREMENT -> r.getIncrement().getKey().toByteArray();
            case ADMIN_SPLIT -> r.getAdminSplit().getSplitKey().toByteArray();
            case HEARTBEAT_TXN -> r.getHeartbeatTxn().getKey().toByteArray();
            case END_TXN -> r.getEndTxn().getKey().toByteArray();
            case PUSH_TXN -> r.getPushTxn().getKey().toByteArray();
            case RESOLVE_INTENT -> r.getResolveIntent().getKey().toByteArray();
            case QUERY_INTENT -> r.getQueryIntent().getKey().toByteArray();
            case REFRESH -> r.getRefresh().getKey().toByteArray();
            case QUERY_TXN -> r.getQueryTxn().getKey().toByteArray();
            case RECOVER_TXN -> r.getRecoverTxn().getKey().toByteArray();
            default -> throw new IllegalArgumentException("no point key: " + r.getValueCase());
        };
    }

    /**
     * The first problem of {@code batch} as an INVALID_ARGUMENT error naming the request, or
     * empty if every request can be routed: point keys non-empty and below {@link Keys#MAX},
     * scans with {@code start < end <= MAX} and a non-negative limit. Admin requests without a
     * key (lease transfer, replica change) cannot be routed by key and are refused.
     */
    static Optional<KvException> validate(BatchRequest batch) {
        for (int i = 0; i < batch.getRequestsCount(); i++) {
            String problem = problem(batch.getRequests(i));
            if (problem != null) {
                return Optional.of(new KvException(Error.newBuilder().setKind(ErrorKind.INVALID_ARGUMENT)
                        .setMessage("request " + i + ": " + problem).setIndex(i).build()));
            }
        }
        return Optional.empty();
    }

    /**
     * The end of a request that covers a span rather than one key (a resolve or refresh with an
     * end key), or null for a point request. Such a request may cross ranges; the DistSender
     * sends each range its part.
     */
    public static byte[] spanEnd(RequestUnion r) {
        ByteString end = switch (r.getValueCase()) {
            case RESOLVE_INTENT -> r.getResolveIntent().getEndKey();
            case REFRESH -> r.getRefresh().getEndKey();
            default -> ByteString.EMPTY;
        };
        return end.isEmpty() ? null : end.toByteArray();
    }

    /** {@code r} (a span request, see {@link #spanEnd}) restricted to {@code [start, end)}. */
    public static RequestUnion withSpan(RequestUnion r, byte[] start, byte[] end) {
        return switch (r.getValueCase()) {
            case RESOLVE_INTENT -> r.toBuilder().setResolveIntent(r.getResolveIntent().toBuilder()
                    .setKey(ByteString.copyFrom(start)).setEndKey(ByteString.copyFrom(end))).build();
            case REFRESH -> r.toBuilder().setRefresh(r.getRefresh().toBuilder()
                    .setKey(ByteString.copyFrom(start)).setEndKey(ByteString.copyFrom(end))).build();
            default -> throw new IllegalArgumentException("not a span request: " + r.getValueCase());
        };
    }

    private static String problem(RequestUnion r) {
        byte[] spanEnd = r.getValueCase() == RequestUnion.ValueCase.VALUE_NOT_SET ? null : spanEnd(r);
        if (spanEnd != null) {
            String p = keyProblem(pointKey(r));
            if (p == null && Keys.compare(spanEnd, pointKey(r)) <= 0) {
                p = "span end " + Keys.pretty(spanEnd) + " is not after its start";
            }
            if (p == null && Keys.compare(spanEnd, Keys.MAX) > 0) {
                p = "span end " + Keys.pretty(spanEnd) + " is above /Max";
            }
            return p;
        }
        return switch (r.getValueCase()) {
            case VALUE_NOT_SET -> "no request set";
            case SCAN -> scanProblem(r.getScan());
            case ADMIN_TRANSFER_LEASE, ADMIN_CHANGE_REPLICAS ->
                    r.getValueCase() + " has no key to route by; send it to the range's node directly";
            default -> keyProblem(pointKey(r));
        };
    }

    private static String keyProblem(byte[] key) {
        if (key.length == 0) {
            return "empty key";
        }
        if (Keys.compare(key, Keys.MAX) >= 0) {
            return "key " + Keys.pretty(key) + " is at or above /Max";
        }
        return null;
    }

    private static String scanProblem(ScanRequest s) {
        byte[] start = s.getStartKey().toByteArray();
        byte[] end = s.getEndKey().toByteArray();
        if (Keys.compare(end, start) <= 0) {
            return "scan end " + Keys.pretty(end) + " is not after its start " + Keys.pretty(start);
        }
        if (Keys.compare(end, Keys.MAX) > 0) {
            return "scan end " + Keys.pretty(end) + " is above /Max";
        }
        if (s.getMaxKeys() < 0) {
            return "negative max_keys " + s.getMaxKeys();
        }
        return null;
    }

    /** {@code e} (unwrapped) with its request index changed by {@code map}; other failures as INTERNAL. */
    static KvException reindexed(Throwable e, java.util.function.IntUnaryOperator map) {
        KvException k = asKvException(e);
        int index = k.error().getIndex();
        if (index < 0) {
            return k;
        }
        return new KvException(k.error().toBuilder().setIndex(map.applyAsInt(index)).build());
    }

    static KvException asKvException(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof KvException k) {
            return k;
        }
        KvException k = KvException.of(ErrorKind.INTERNAL, "unexpected failure: " + t);
        k.initCause(t);
        return k;
    }
}
