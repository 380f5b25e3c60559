package dev.meridian.txn;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.cluster.kv.BatchRequests;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.EndTxnRequest;
import dev.meridian.proto.kv.EndTxnResponse;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.ResponseUnion;
import dev.meridian.proto.kv.Span;

import java.util.TreeSet;

/**
 * Tracks where the transaction wrote (every key, from before the write is sent, so that a write
 * whose outcome is unknown is still cleaned up) and gives the list to EndTxn, whose range
 * resolves the intents on itself at once and the rest in the background. A transaction that
 * wrote nothing has no record and nothing to resolve: its EndTxn is answered here.
 *
 * <p><b>Parallel commit.</b> An EndTxn that carries writes still in flight is sent in one batch
 * with a QueryIntent (with prevent) for each of them; the DistSender sends every range its part
 * at once, so staging the record and proving the writes take one round together. The record
 * becomes STAGING; if every write is found, the transaction has committed (a recoverer would
 * reach the same verdict), so the commit returns, and the record is made COMMITTED in the
 * background (which also resolves the intents). If one is missing, it can no longer land at the
 * staging timestamp, so the transaction cannot have committed: it restarts.
 */
final class CommitInterceptor implements TxnInterceptor {

    private final TreeSet<byte[]> written = new TreeSet<>(Keys::compare);
    private final TxnState state;
    private final java.util.concurrent.Executor background;

    CommitInterceptor(TxnState state, java.util.concurrent.Executor background) {
        this.state = state;
        this.background = background;
    }

    @Override
    public BatchResponse send(BatchRequest batch, Next next) throws InterruptedException {
        BatchRequest.Builder b = batch.toBuilder();
        for (int i = 0; i < b.getRequestsCount(); i++) {
            RequestUnion r = b.getRequests(i);
            if (TxnTransport.writes(r)) {
                synchronized (written) {
                    written.add(BatchRequests.pointKey(r));
                }
            } else if (r.hasEndTxn()) {
                if (b.getRequestsCount() == 1 && writtenNothing()) {
                    return BatchResponse.newBuilder().addResponses(ResponseUnion.newBuilder()
                            .setEndTxn(EndTxnResponse.getDefaultInstance())).build();
                }
                EndTxnRequest.Builder end = r.getEndTxn().toBuilder().clearLockSpans();
                synchronized (written) {
                    for (byte[] k : written) {
                        end.addLockSpans(Span.newBuilder().setStartKey(ByteString.copyFrom(k)));
                    }
                }
                b.setRequests(i, r.toBuilder().setEndTxn(end));
                if (end.getCommit() && end.getInFlightWritesCount() > 0) {
                    return parallelCommit(b.build(), end.build(), next);
                }
            }
        }
        return next.send(b.build());
    }

    private BatchResponse parallelCommit(BatchRequest batch, EndTxnRequest end, Next next) throws InterruptedException {
        BatchRequest.Builder pc = BatchRequest.newBuilder().setHeader(batch.getHeader());
        for (var w : end.getInFlightWritesList()) {
            pc.addRequests(RequestUnion.newBuilder().setQueryIntent(dev.meridian.proto.kv.QueryIntentRequest.newBuilder()
                    .setKey(w.getKey()).setTxn(state.txn().getMeta().toBuilder().setSequence(w.getSequence())).setPrevent(true)));
        }
        pc.addRequests(RequestUnion.newBuilder().setEndTxn(end));
        BatchResponse resp = next.send(pc.build());
        int n = end.getInFlightWritesCount();
        for (int i = 0; i < n; i++) {
            if (!resp.getResponses(i).getQueryIntent().getFound()) {
                throw PipelineInterceptor.missing(end.getInFlightWrites(i).getKey().toByteArray());
            }
        }
        // Committed. Make it explicit (and resolve the intents) off the client's path.
        dev.meridian.proto.kv.Transaction at = state.txn();
        BatchRequest explicit = BatchRequest.newBuilder()
                .setHeader(dev.meridian.proto.kv.BatchHeader.newBuilder().setTxn(at))
                .addRequests(RequestUnion.newBuilder().setEndTxn(end.toBuilder().clearInFlightWrites()))
                .build();
        background.execute(() -> {
            try {
                next.send(explicit);
            } catch (TxnException e) {
                // Left STAGING: once the record expires, whoever meets an intent recovers it as committed.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return BatchResponse.newBuilder().addResponses(resp.getResponses(n)).setTxn(resp.getTxn()).build();
    }

    private boolean writtenNothing() {
        synchronized (written) {
            return written.isEmpty();
        }
    }
}
