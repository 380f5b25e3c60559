package dev.meridian.cluster.kv;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.cluster.kv.DistSenderMetrics.RetryReason;
import dev.meridian.proto.kv.BatchHeader;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.FirstRangeResponse;
import dev.meridian.proto.kv.KeyValue;
import dev.meridian.proto.kv.RangeDescriptor;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.ScanRequest;
import dev.meridian.proto.kv.ScanResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds the range holding a key: the {@link RangeCache} first; on a miss, keys of the meta span
 * belong to the first range (asked of {@link RangeTransport#firstRange()}), and any other key's
 * descriptor is read from meta, which lives in the first range: the entry with the smallest end
 * key above the key, the first row of a scan of {@code [metaLookupStart(key), META_MAX)}
 * (which also caches the next few ranges, {@link #META_PREFETCH}).
 *
 * <p>Concurrent misses for the same key each read meta (no coalescing yet).
 */
final class RangeLocator {

    /**
     * Meta rows read per lookup: the range asked for and the ones after it, so that a scan
     * across many ranges (or a batch spread over neighbours) needs fewer lookups.
     */
    static final int META_PREFETCH = 8;

    private final RangeCache cache;
    private final RangeTransport transport;
    private final ReplicaSender sender;
    private final DistSenderMetrics metrics;

    RangeLocator(RangeCache cache, RangeTransport transport, ReplicaSender sender, DistSenderMetrics metrics) {
        this.cache = cache;
        this.transport = transport;
        this.sender = sender;
        this.metrics = metrics;
    }

    /**
     * The range holding {@code key} or, if {@code reverse}, the range holding the keys just below
     * {@code key} (where a reverse scan ending at {@code key} starts). Fails UNAVAILABLE at the
     * deadline.
     */
    CompletableFuture<RangeDescriptor> locate(byte[] key, boolean reverse, RetryContext ctx) {
        Optional<RangeCache.Entry> hit = reverse ? cache.lookupReverse(key) : cache.lookup(key);
        metrics.cache(hit.isPresent());
        if (hit.isPresent()) {
            return CompletableFuture.completedFuture(hit.get().descriptor());
        }
        boolean inMeta = reverse ? Keys.compare(key, Keys.META_MAX) <= 0 : Keys.compare(key, Keys.META_MAX) < 0;
        return inMeta ? firstRange(ctx) : readMeta(key, reverse, ctx);
    }

    private CompletableFuture<RangeDescriptor> firstRange(RetryContext ctx) {
        if (ctx.expired()) {
            return CompletableFuture.failedFuture(ctx.deadlineExceeded("first range lookup"));
        }
        CompletableFuture<FirstRangeResponse> asked;
        try {
            asked = transport.firstRange();
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        return asked.copy().orTimeout(Math.max(1, ctx.remainingNanos()), TimeUnit.NANOSECONDS)
                .handle((resp, err) -> {
                    if (err == null && resp.hasRangeDescriptor()) {
                        RangeDescriptor d = resp.getRangeDescriptor();
                        cache.insert(d);
                        if (resp.hasLease()) {
                            cache.updateLease(d, resp.getLease());
                        }
                        return CompletableFuture.completedFuture(d);
                    }
                    metrics.retry(RetryReason.DESCRIPTOR_LOOKUP);
                    return ctx.backoff("first range lookup").thenCompose(v -> firstRange(ctx));
                })
                .thenCompose(f -> f);
    }

    private CompletableFuture<RangeDescriptor> readMeta(byte[] key, boolean reverse, RetryContext ctx) {
        // Reverse: the range holding the keys just below `key` is the one with the smallest end
        // key at or above `key`.
        byte[] from = reverse ? Keys.metaKey(key) : Keys.metaLookupStart(key);
        return locate(from, false, ctx).thenCompose(first -> {
            BatchRequest scan = BatchRequest.newBuilder()
                    .setHeader(BatchHeader.newBuilder().setRangeId(first.getRangeId()))
                    .addRequests(RequestUnion.newBuilder().setScan(ScanRequest.newBuilder()
                            .setStartKey(ByteString.copyFrom(from))
                            .setEndKey(ByteString.copyFrom(Keys.META_MAX))
                            .setMaxKeys(META_PREFETCH)))
                    .build();
            return sender.send(first, scan, false, ctx);
        }).thenCompose(reply -> switch (reply) {
            case ReplicaSender.Ok ok -> found(key, reverse, ok.response().getResponses(0).getScan(), ctx);
            case ReplicaSender.Replan r -> ctx.backoff("meta lookup").thenCompose(v -> readMeta(key, reverse, ctx));
        });
    }

    private CompletableFuture<RangeDescriptor> found(byte[] key, boolean reverse, ScanResponse meta, RetryContext ctx) {
        List<RangeDescriptor> read = new ArrayList<>(meta.getRowsCount());
        for (KeyValue row : meta.getRowsList()) {
            try {
                read.add(RangeDescriptor.parseFrom(row.getValue()));
            } catch (InvalidProtocolBufferException e) {
                KvException k = KvException.of(ErrorKind.INTERNAL, "malformed descriptor in meta at "
                        + Keys.pretty(row.getKey().toByteArray()) + ": " + e.getMessage());
                k.initCause(e);
                return CompletableFuture.failedFuture(k);
            }
        }
        if (read.isEmpty() || !holds(read.getFirst(), key, reverse)) {
            // Meta is momentarily incomplete or behind (a split being applied): ask again later.
            metrics.retry(RetryReason.DESCRIPTOR_LOOKUP);
            return ctx.backoff("meta lookup for " + Keys.pretty(key)).thenCompose(v -> readMeta(key, reverse, ctx));
        }
        for (RangeDescriptor d : read) {
            cache.insert(d);
        }
        return CompletableFuture.completedFuture(read.getFirst());
    }

    private static boolean holds(RangeDescriptor d, byte[] key, boolean reverse) {
        byte[] start = d.getStartKey().toByteArray();
        byte[] end = d.getEndKey().toByteArray();
        return reverse
                ? Keys.compare(start, key) < 0 && Keys.compare(key, end) <= 0
                : Keys.contains(start, end, key);
    }
}
