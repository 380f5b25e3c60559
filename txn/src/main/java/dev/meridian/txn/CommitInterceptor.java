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
 */
final class CommitInterceptor implements TxnInterceptor {

    private final TreeSet<byte[]> written = new TreeSet<>(Keys::compare);

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
            }
        }
        return next.send(b.build());
    }

    private boolean writtenNothing() {
        synchronized (written) {
            return written.isEmpty();
        }
    }
}
