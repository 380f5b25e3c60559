package dev.meridian.txn;

import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.RequestUnion;

/**
 * Numbers the requests: each write gets the next sequence number, each read the current one (so
 * it sees the transaction's writes before it and none after). Replicas record the number in the
 * intent history, which makes a resent write a harmless replay and lets savepoints take writes
 * back by their numbers.
 */
final class SeqNumInterceptor implements TxnInterceptor {

    private final TxnState state;

    SeqNumInterceptor(TxnState state) {
        this.state = state;
    }

    @Override
    public BatchResponse send(BatchRequest batch, Next next) throws InterruptedException {
        BatchRequest.Builder b = batch.toBuilder();
        for (int i = 0; i < b.getRequestsCount(); i++) {
            RequestUnion r = b.getRequests(i);
            int seq = TxnTransport.writes(r) ? state.nextSeq() : state.seq();
            b.setRequests(i, r.toBuilder().setSequence(seq));
        }
        return next.send(b.build());
    }
}
