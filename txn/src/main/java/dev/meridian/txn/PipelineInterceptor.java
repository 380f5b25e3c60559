package dev.meridian.txn;

import dev.meridian.cluster.keys.Keys;
import dev.meridian.cluster.kv.BatchRequests;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.EndTxnRequest;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.InFlightWrite;
import dev.meridian.proto.kv.QueryIntentRequest;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.RetryReason;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Write pipelining: a batch of plain writes is sent with {@code async_consensus}, so it returns
 * once the leaseholder evaluated and proposed it, without waiting for consensus; the writes are
 * then "in flight". Before the transaction reads a key it has in flight, and before it commits,
 * it proves them: a {@code QueryIntent} (with prevent, so a missing write can never land later at
 * the transaction's timestamp) must find each. A missing one means the write failed: the
 * transaction restarts. At commit the in-flight writes go with the EndTxn, which the commit layer
 * turns into a parallel commit; when savepoints took writes back the record could not tell a
 * recoverer which, so those writes are proven first and the commit is an ordinary one.
 */
final class PipelineInterceptor implements TxnInterceptor {

    private final TxnState state;
    /** Key to the latest sequence written there and not yet proven. */
    private final TreeMap<byte[], Integer> inFlight = new TreeMap<>(Keys::compare);

    PipelineInterceptor(TxnState state) {
        this.state = state;
    }

    @Override
    public BatchResponse send(BatchRequest batch, Next next) throws InterruptedException {
        List<RequestUnion> reqs = batch.getRequestsList();
        if (!reqs.isEmpty() && reqs.stream().allMatch(TxnTransport::writes)) {
            BatchRequest.Builder b = batch.toBuilder();
            b.getHeaderBuilder().setAsyncConsensus(true);
            BatchResponse resp = next.send(b.build());
            synchronized (inFlight) {
                for (RequestUnion r : reqs) {
                    inFlight.merge(BatchRequests.pointKey(r), r.getSequence(), Math::max);
                }
            }
            return resp;
        }
        RequestUnion last = reqs.isEmpty() ? null : reqs.getLast();
        if (last != null && last.hasEndTxn()) {
            // (In flight until the end is known: a commit that fails may be tried again.)
            Map<byte[], Integer> all = all();
            BatchResponse resp;
            if (!last.getEndTxn().getCommit() || all.isEmpty()) {
                resp = next.send(batch);
            } else if (state.txn().getIgnoredSeqnumsCount() > 0) {
                prove(all, next);
                resp = next.send(batch);
            } else {
                EndTxnRequest.Builder end = last.getEndTxn().toBuilder();
                all.forEach((k, seq) -> end.addInFlightWrites(InFlightWrite.newBuilder()
                        .setKey(com.google.protobuf.ByteString.copyFrom(k)).setSequence(seq)));
                resp = next.send(batch.toBuilder().setRequests(reqs.size() - 1, last.toBuilder().setEndTxn(end)).build());
            }
            forget(all);
            return resp;
        }
        Map<byte[], Integer> overlapping = overlapping(reqs);
        if (!overlapping.isEmpty()) {
            prove(overlapping, next);
            forget(overlapping);
        }
        return next.send(batch);
    }

    /** Drops proven writes (unless a later write to the key is in flight now). */
    private void forget(Map<byte[], Integer> proven) {
        synchronized (inFlight) {
            proven.forEach((k, seq) -> inFlight.remove(k, seq));
        }
    }

    /** QueryIntents (with prevent) for {@code writes}; a missing one restarts the transaction. */
    private void prove(Map<byte[], Integer> writes, Next next) throws InterruptedException {
        BatchRequest.Builder b = BatchRequest.newBuilder();
        List<byte[]> keys = new ArrayList<>();
        writes.forEach((k, seq) -> {
            keys.add(k);
            b.addRequests(RequestUnion.newBuilder().setQueryIntent(QueryIntentRequest.newBuilder()
                    .setKey(com.google.protobuf.ByteString.copyFrom(k))
                    .setTxn(state.txn().getMeta().toBuilder().setSequence(seq)).setPrevent(true)));
        });
        BatchResponse resp = next.send(b.build());
        for (int i = 0; i < resp.getResponsesCount(); i++) {
            if (!resp.getResponses(i).getQueryIntent().getFound()) {
                throw missing(keys.get(i));
            }
        }
    }

    static TxnRetryException missing(byte[] key) {
        return new TxnRetryException(ErrorKind.TRANSACTION_RETRY, RetryReason.RETRY_ASYNC_WRITE_FAILURE, false,
                "the transaction's pipelined write on " + Keys.pretty(key) + " did not succeed; it restarts", null);
    }

    private Map<byte[], Integer> all() {
        synchronized (inFlight) {
            return new TreeMap<>(inFlight);
        }
    }

    /** The in-flight writes that the reads of {@code reqs} would see. */
    private Map<byte[], Integer> overlapping(List<RequestUnion> reqs) {
        Map<byte[], Integer> out = new TreeMap<>(Keys::compare);
        synchronized (inFlight) {
            if (inFlight.isEmpty()) {
                return out;
            }
            for (RequestUnion r : reqs) {
                switch (r.getValueCase()) {
                    case GET -> {
                        byte[] k = r.getGet().getKey().toByteArray();
                        Integer seq = inFlight.get(k);
                        if (seq != null) {
                            out.put(k, seq);
                        }
                    }
                    case SCAN -> out.putAll(inFlight.subMap(r.getScan().getStartKey().toByteArray(), true,
                            r.getScan().getEndKey().toByteArray(), false));
                    default -> {
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void epochBumped() {
        synchronized (inFlight) {
            inFlight.clear();
        }
    }
}
