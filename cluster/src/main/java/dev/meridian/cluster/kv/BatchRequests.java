package dev.meridian.cluster.kv;

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

    /** Whether the request may change data (and so must not be sent twice when its outcome is unknown). */
    /** Whether {@code r} changes data (anything but a get or a scan). */
    public static boolean isWrite(RequestUnion r) {
        return switch (r.getValueCase()) {
            case GET, SCAN -> false;
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

    private static String problem(RequestUnion r) {
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
