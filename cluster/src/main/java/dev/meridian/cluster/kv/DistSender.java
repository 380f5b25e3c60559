package dev.meridian.cluster.kv;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.proto.kv.BatchHeader;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.ConditionalPutRequest;
import dev.meridian.proto.kv.DeleteRequest;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.GetRequest;
import dev.meridian.proto.kv.IncrementRequest;
import dev.meridian.proto.kv.KeyValue;
import dev.meridian.proto.kv.PutRequest;
import dev.meridian.proto.kv.RangeDescriptor;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.ResponseUnion;
import dev.meridian.proto.kv.ScanRequest;
import dev.meridian.proto.kv.ScanResponse;
import io.opentelemetry.api.OpenTelemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/**
 * The routing layer: sends a batch whose requests may lie in many ranges to the leaseholders of
 * those ranges, retrying around stale caches, moved leases and failed nodes until a deadline.
 *
 * <p>How a batch is sent:
 * <ol>
 *   <li>It is validated (non-empty point keys below /Max, scans with start &lt; end &lt;= /Max and
 *       max_keys &gt;= 0, a key to route by); an invalid batch fails
 *       INVALID_ARGUMENT and nothing is sent.</li>
 *   <li>Each request is located: the range holding its key, or for a scan the range where it
 *       starts (its start key, or for a reverse scan the keys just below its end key), from the
 *       {@link RangeCache} or else from meta.</li>
 *   <li>Point requests, and scans lying inside one range, are grouped into one part per range;
 *       each part is sent as one batch (so it applies atomically on that range), all parts in
 *       parallel. A scan that crosses ranges is read range by range in key order (descending for
 *       a reverse scan), carrying the remaining max_keys over, in parallel with the parts; so is
 *       the rest of any scan a node stopped early (resume_key set, limit not reached).</li>
 *   <li>A part answered with RANGE_KEY_MISMATCH is routed again after a backoff with the
 *       descriptors the node returned; see {@link ReplicaSender} for the other retries and for
 *       the rule that keeps writes of unknown outcome from being sent twice.</li>
 *   <li>Responses are put back in request order.</li>
 * </ol>
 *
 * <p>Not atomic across ranges: a batch spanning ranges may be partly applied when it fails
 * (each range's part applied or not on its own). Transactions, which make multi-range batches
 * atomic, come later.
 *
 * <p>resume_key as read from a node's ScanResponse: forward, the first key not read (the rest is
 * {@code [resume_key, end)}); reverse, the end of what is not read (the rest is
 * {@code [start, resume_key)}). The DistSender's own ScanResponse follows the same convention
 * when max_keys stops a scan before its span is exhausted.
 *
 * <p>Errors: futures fail with {@link KvException}. Its {@code error().getIndex()} names the
 * request of the caller's batch (-1: the batch as a whole). When several parts fail,
 * AMBIGUOUS_RESULT wins over definite errors, so that a write of unknown outcome is never
 * reported as not applied. Deadline: a part that wrote nothing fails UNAVAILABLE.
 *
 * <p>Thread-safe; non-blocking (continuations run on the transport's threads and on the common
 * pool's delayed executor for backoff).
 */
public final class DistSender implements KvOperations {

    private static final String INSTRUMENTATION_SCOPE = "dev.meridian.cluster.kv";

    private final DistSenderConfig config;
    private final RandomGenerator jitter;
    private final RangeCache cache;
    private final DistSenderMetrics metrics;
    private final ReplicaSender sender;
    private final RangeLocator locator;

    /** A DistSender whose backoff jitter comes from a fresh {@link Random}. */
    public DistSender(RangeTransport transport, DistSenderConfig config, OpenTelemetry otel) {
        this(transport, config, otel, new Random());
    }

    /** A DistSender with backoff jitter drawn from {@code jitter} (used under its own lock). */
    public DistSender(RangeTransport transport, DistSenderConfig config, OpenTelemetry otel, RandomGenerator jitter) {
        Objects.requireNonNull(transport, "transport");
        this.config = Objects.requireNonNull(config, "config");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.cache = new RangeCache(config.rangeCacheSize());
        this.metrics = new DistSenderMetrics(Objects.requireNonNull(otel, "otel").getMeter(INSTRUMENTATION_SCOPE));
        this.sender = new ReplicaSender(transport, cache, metrics);
        this.locator = new RangeLocator(cache, transport, sender, metrics);
    }

    /** The descriptor cache (for tests in this package). */
    RangeCache rangeCache() {
        return cache;
    }

    @Override
    public CompletableFuture<BatchResponse> batch(BatchRequest request) {
        if (request == null) {
            return CompletableFuture.failedFuture(KvException.of(ErrorKind.INVALID_ARGUMENT, "null batch"));
        }
        Optional<KvException> invalid = BatchRequests.validate(request);
        if (invalid.isPresent()) {
            return CompletableFuture.failedFuture(invalid.get());
        }
        metrics.batch();
        long started = System.nanoTime();
        RetryContext ctx = new RetryContext(config, jitter, System::nanoTime);
        CompletableFuture<List<ResponseUnion>> done = request.getRequestsCount() == 0
                ? CompletableFuture.completedFuture(List.of())
                : execute(request.getHeader(), request.getRequestsList(), ctx);
        return done.handle((responses, err) -> {
            long elapsed = System.nanoTime() - started;
            if (err != null) {
                KvException k = BatchRequests.asKvException(err);
                metrics.finished(elapsed, k.kind().name());
                throw k;
            }
            metrics.finished(elapsed, "OK");
            BatchResponse.Builder out = BatchResponse.newBuilder().addAllResponses(responses);
            if (ctx.txn() != null) {
                out.setTxn(ctx.txn());
            }
            return out.build();
        });
    }

    // ---- routing ----

    /** Locates every request, then sends; the responses in the order of {@code requests}. */
    private CompletableFuture<List<ResponseUnion>> execute(BatchHeader header, List<RequestUnion> requests,
                                                          RetryContext ctx) {
        List<CompletableFuture<RangeDescriptor>> located = new ArrayList<>(requests.size());
        for (RequestUnion r : requests) {
            if (r.hasScan()) {
                ScanRequest s = r.getScan();
                located.add(s.getReverse()
                        ? locator.locate(s.getEndKey().toByteArray(), true, ctx)
                        : locator.locate(s.getStartKey().toByteArray(), false, ctx));
            } else {
                located.add(locator.locate(BatchRequests.pointKey(r), false, ctx));
            }
            // (A span request that crosses ranges is split at dispatch.)
        }
        return CompletableFuture.allOf(located.toArray(CompletableFuture[]::new))
                .thenCompose(v -> dispatch(header, requests, located.stream().map(CompletableFuture::join).toList(), ctx));
    }

    /** One range's part of a batch, and where each of its requests came from. */
    private static final class Part {
        final RangeDescriptor range;
        final List<RequestUnion> requests = new ArrayList<>();
        final List<Integer> origins = new ArrayList<>();

        Part(RangeDescriptor range) {
            this.range = range;
        }
    }

    private CompletableFuture<List<ResponseUnion>> dispatch(BatchHeader header, List<RequestUnion> requests,
                                                           List<RangeDescriptor> ranges, RetryContext ctx) {
        ResponseUnion[] out = new ResponseUnion[requests.size()];
        // Keyed by descriptor value; insertion order keeps sending deterministic.
        Map<RangeDescriptor, Part> parts = new LinkedHashMap<>();
        List<CompletableFuture<?>> work = new ArrayList<>();
        List<Integer> crossing = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            RequestUnion r = requests.get(i);
            RangeDescriptor d = ranges.get(i);
            byte[] spanEnd = BatchRequests.spanEnd(r);
            if (r.hasScan() && !Keys.containsSpan(d.getStartKey().toByteArray(), d.getEndKey().toByteArray(),
                    r.getScan().getStartKey().toByteArray(), r.getScan().getEndKey().toByteArray())) {
                crossing.add(i);
            } else if (spanEnd != null && Keys.compare(spanEnd, d.getEndKey().toByteArray()) > 0) {
                int index = i;
                work.add(spanAcross(header, r, BatchRequests.pointKey(r), spanEnd, ctx).thenAccept(resp -> out[index] = resp)
                        .exceptionally(err -> {
                            throw BatchRequests.reindexed(err, j -> index);
                        }));
            } else {
                Part p = parts.computeIfAbsent(d, Part::new);
                p.requests.add(r);
                p.origins.add(i);
            }
        }
        if (parts.size() + crossing.size() > 1) {
            metrics.partial(parts.size() + crossing.size());
        }
        for (Part p : parts.values()) {
            work.add(sendPart(header, p, ctx).thenAccept(responses -> {
                for (int j = 0; j < responses.size(); j++) {
                    out[p.origins.get(j)] = responses.get(j);
                }
            }).exceptionally(err -> {
                throw BatchRequests.reindexed(err, p.origins::get);
            }));
        }
        for (int i : crossing) {
            work.add(scanAcross(header, requests.get(i).getScan(), ctx).thenAccept(resp ->
                    out[i] = ResponseUnion.newBuilder().setScan(resp).build()
            ).exceptionally(err -> {
                throw BatchRequests.reindexed(err, j -> i);
            }));
        }
        return settle(work).thenApply(v -> List.of(out));
    }

    private CompletableFuture<List<ResponseUnion>> sendPart(BatchHeader header, Part part, RetryContext ctx) {
        BatchRequest sub = BatchRequest.newBuilder()
                .setHeader(header.toBuilder().setRangeId(part.range.getRangeId()))
                .addAllRequests(part.requests)
                .build();
        boolean write = BatchRequests.anyWrite(part.requests);
        return sender.send(part.range, sub, write, ctx).thenCompose(reply -> switch (reply) {
            case ReplicaSender.Ok ok -> {
                ctx.replied(ok.response().hasTxn() ? ok.response().getTxn() : null);
                if (ok.response().getResponsesCount() != part.requests.size()) {
                    yield CompletableFuture.failedFuture(KvException.of(
                            write ? ErrorKind.AMBIGUOUS_RESULT : ErrorKind.INTERNAL,
                            "r" + part.range.getRangeId() + " answered " + ok.response().getResponsesCount()
                                    + " responses to " + part.requests.size() + " requests"));
                }
                yield continueScans(header, part.requests, ok.response().getResponsesList(), ctx);
            }
            case ReplicaSender.Replan r -> ctx.backoff("r" + part.range.getRangeId())
                    .thenCompose(v -> execute(header, part.requests, ctx));
        });
    }

    /** {@code responses} with every scan a node stopped early (limit not reached) read to its end. */
    private CompletableFuture<List<ResponseUnion>> continueScans(BatchHeader header, List<RequestUnion> requests,
                                                                List<ResponseUnion> responses, RetryContext ctx) {
        ResponseUnion[] out = responses.toArray(ResponseUnion[]::new);
        List<CompletableFuture<?>> work = new ArrayList<>();
        for (int j = 0; j < requests.size(); j++) {
            if (!requests.get(j).hasScan()) {
                continue;
            }
            ScanRequest scan = requests.get(j).getScan();
            ScanResponse first = responses.get(j).getScan();
            ScanProgress progress = new ScanProgress(scan);
            progress.add(first.getRowsList());
            if (progress.limitReached() || first.getResumeKey().isEmpty()) {
                continue;
            }
            int index = j;
            CompletableFuture<ScanResponse> rest;
            try {
                rest = progress.advance(first.getResumeKey().toByteArray())
                        ? scanStep(header, scan, progress, ctx)
                        : CompletableFuture.completedFuture(progress.finish(null));
            } catch (KvException e) {
                rest = CompletableFuture.failedFuture(e);
            }
            work.add(rest.handle((resp, err) -> {
                if (err != null) {
                    throw BatchRequests.reindexed(err, x -> index);
                }
                out[index] = ResponseUnion.newBuilder().setScan(resp).build();
                return null;
            }));
        }
        return settle(work).thenApply(v -> List.of(out));
    }

    /** Reads {@code scan} range by range, in key order (descending if reverse), up to its limit. */
    private CompletableFuture<ScanResponse> scanAcross(BatchHeader header, ScanRequest scan, RetryContext ctx) {
        return scanStep(header, scan, new ScanProgress(scan), ctx);
    }

    private CompletableFuture<ScanResponse> scanStep(BatchHeader header, ScanRequest scan, ScanProgress progress,
                                                     RetryContext ctx) {
        CompletableFuture<ScanResponse> done = new CompletableFuture<>();
        driveScan(header, scan, progress, ctx, done);
        return done;
    }

    /**
     * Reads pieces one after another. Loops while they complete at once (a transport that answers
     * synchronously, as a node's local one may), so that the stack does not grow per range; an
     * answer that arrives later resumes the loop from its callback.
     */
    private void driveScan(BatchHeader header, ScanRequest scan, ScanProgress progress, RetryContext ctx,
                           CompletableFuture<ScanResponse> done) {
        while (true) {
            CompletableFuture<Boolean> more = scanPiece(header, scan, progress, ctx, done);
            if (!more.isDone()) {
                more.whenComplete((goOn, err) -> {
                    if (err != null) {
                        done.completeExceptionally(err);
                    } else if (goOn) {
                        driveScan(header, scan, progress, ctx, done);
                    }
                });
                return;
            }
            if (more.isCompletedExceptionally()) {
                done.completeExceptionally(more.exceptionNow());
                return;
            }
            if (!more.join()) {
                return;
            }
        }
    }

    /** Reads the next piece of the scan; true if the scan goes on, false once {@code done} is completed. */
    private CompletableFuture<Boolean> scanPiece(BatchHeader header, ScanRequest scan, ScanProgress progress,
                                                 RetryContext ctx, CompletableFuture<ScanResponse> done) {
        return locator.locate(progress.position(), scan.getReverse(), ctx).thenCompose(range -> {
            ScanRequest piece = progress.pieceWithin(range);
            BatchRequest sub = BatchRequest.newBuilder()
                    .setHeader(header.toBuilder().setRangeId(range.getRangeId()))
                    .addRequests(RequestUnion.newBuilder().setScan(piece))
                    .build();
            return sender.send(range, sub, false, ctx).thenCompose(reply -> switch (reply) {
                case ReplicaSender.Replan r -> ctx.backoff("scan of r" + range.getRangeId()).thenApply(v -> true);
                case ReplicaSender.Ok ok -> {
                    ctx.replied(ok.response().hasTxn() ? ok.response().getTxn() : null);
                    ScanResponse got = ok.response().getResponsesCount() == 1
                            ? ok.response().getResponses(0).getScan() : ScanResponse.getDefaultInstance();
                    progress.add(got.getRowsList());
                    byte[] boundary = got.getResumeKey().isEmpty()
                            ? (scan.getReverse() ? range.getStartKey() : range.getEndKey()).toByteArray()
                            : got.getResumeKey().toByteArray();
                    if (progress.limitReached()) {
                        done.complete(progress.finish(boundary));
                        yield CompletableFuture.completedFuture(false);
                    }
                    if (progress.advance(boundary)) {
                        yield CompletableFuture.completedFuture(true);
                    }
                    done.complete(progress.finish(null));
                    yield CompletableFuture.completedFuture(false);
                }
            });
        });
    }

    /**
     * Sends a span request (resolve, refresh) that crosses ranges one range's part after another,
     * from {@code start} to {@code end}; the answer is the last part's (these answers carry nothing
     * per range).
     */
    private CompletableFuture<ResponseUnion> spanAcross(BatchHeader header, RequestUnion r, byte[] start, byte[] end,
                                                      RetryContext ctx) {
        return locator.locate(start, false, ctx).thenCompose(range -> {
            byte[] rangeEnd = range.getEndKey().toByteArray();
            byte[] pieceEnd = Keys.compare(end, rangeEnd) < 0 ? end : rangeEnd;
            BatchRequest sub = BatchRequest.newBuilder()
                    .setHeader(header.toBuilder().setRangeId(range.getRangeId()))
                    .addRequests(BatchRequests.withSpan(r, start, pieceEnd))
                    .build();
            return sender.send(range, sub, BatchRequests.isWrite(r), ctx).thenCompose(reply -> switch (reply) {
                case ReplicaSender.Replan x -> ctx.backoff("span of r" + range.getRangeId())
                        .thenCompose(v -> spanAcross(header, r, start, end, ctx));
                case ReplicaSender.Ok ok -> {
                    ctx.replied(ok.response().hasTxn() ? ok.response().getTxn() : null);
                    if (ok.response().getResponsesCount() != 1) {
                        yield CompletableFuture.failedFuture(KvException.of(ErrorKind.INTERNAL,
                                "r" + range.getRangeId() + " answered " + ok.response().getResponsesCount() + " responses to 1"));
                    }
                    yield Keys.compare(pieceEnd, end) < 0 ? spanAcross(header, r, pieceEnd, end, ctx)
                            : CompletableFuture.completedFuture(ok.response().getResponses(0));
                }
            });
        });
    }

    /**
     * Waits for every future; fails if any failed, with AMBIGUOUS_RESULT if any part's outcome
     * is unknown, else with the first failure in order.
     */
    private static CompletableFuture<Void> settle(List<CompletableFuture<?>> work) {
        return CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).handle((v, err) -> {
            if (err == null) {
                return null;
            }
            KvException chosen = null;
            for (CompletableFuture<?> f : work) {
                if (f.isCompletedExceptionally()) {
                    KvException k = BatchRequests.asKvException(f.exceptionNow());
                    if (chosen == null || (k.kind() == ErrorKind.AMBIGUOUS_RESULT
                            && chosen.kind() != ErrorKind.AMBIGUOUS_RESULT)) {
                        chosen = k;
                    }
                }
            }
            throw chosen;
        });
    }

    // ---- typed operations: one-request batches ----

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key) {
        return single(() -> RequestUnion.newBuilder().setGet(GetRequest.newBuilder().setKey(arg(key, "key"))).build())
                .thenApply(r -> r.getGet().hasValue() ? Optional.of(r.getGet().getValue().toByteArray()) : Optional.empty());
    }

    @Override
    public CompletableFuture<Void> put(byte[] key, byte[] value) {
        return single(() -> RequestUnion.newBuilder().setPut(PutRequest.newBuilder()
                .setKey(arg(key, "key")).setValue(arg(value, "value"))).build())
                .thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Void> delete(byte[] key) {
        return single(() -> RequestUnion.newBuilder().setDelete(DeleteRequest.newBuilder().setKey(arg(key, "key"))).build())
                .thenApply(r -> null);
    }

    @Override
    public CompletableFuture<List<KeyValue>> scan(byte[] start, byte[] end, long maxKeys) {
        return single(() -> RequestUnion.newBuilder().setScan(ScanRequest.newBuilder()
                .setStartKey(arg(start, "start")).setEndKey(arg(end, "end")).setMaxKeys(maxKeys)).build())
                .thenApply(r -> r.getScan().getRowsList());
    }

    @Override
    public CompletableFuture<Void> conditionalPut(byte[] key, byte[] value, byte[] expected) {
        return single(() -> {
            ConditionalPutRequest.Builder b = ConditionalPutRequest.newBuilder()
                    .setKey(arg(key, "key")).setValue(arg(value, "value"));
            if (expected != null) {
                b.setExpected(ByteString.copyFrom(expected));
            }
            return RequestUnion.newBuilder().setConditionalPut(b).build();
        }).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Long> increment(byte[] key, long delta) {
        return single(() -> RequestUnion.newBuilder().setIncrement(IncrementRequest.newBuilder()
                .setKey(arg(key, "key")).setDelta(delta)).build())
                .thenApply(r -> r.getIncrement().getNewValue());
    }

    private interface RequestBuilder {
        RequestUnion build();
    }

    private CompletableFuture<ResponseUnion> single(RequestBuilder request) {
        BatchRequest batch;
        try {
            batch = BatchRequest.newBuilder().addRequests(request.build()).build();
        } catch (KvException e) {
            return CompletableFuture.failedFuture(e);
        }
        return batch(batch).thenApply(resp -> resp.getResponses(0));
    }

    private static ByteString arg(byte[] bytes, String name) {
        if (bytes == null) {
            throw KvException.of(ErrorKind.INVALID_ARGUMENT, name + " is null");
        }
        return ByteString.copyFrom(bytes);
    }
}
