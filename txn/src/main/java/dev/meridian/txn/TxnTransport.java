package dev.meridian.txn;

import dev.meridian.cluster.kv.KvException;
import dev.meridian.cluster.kv.KvOperations;
import dev.meridian.cluster.time.HybridClock;
import dev.meridian.cluster.time.Timestamps;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.Error;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.RetryReason;
import dev.meridian.proto.kv.Transaction;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bottom of the stack: stamps a batch with the transaction (unless a layer above set one,
 * as the refresher does) and the gateway's clock, sends it through the DistSender, takes in what
 * the replies say of the transaction, and turns KV errors into {@link TxnException}s:
 * retry errors and aborts into {@link TxnRetryException}, an unknown outcome of a commit into
 * {@link TxnAmbiguousException}, and an unknown outcome of any other write into a retry (its
 * intents belong to an epoch that will never commit).
 */
final class TxnTransport implements TxnInterceptor.Next {

    private final KvOperations kv;
    private final HybridClock clock;
    private final TxnState state;
    private final Duration timeout;

    TxnTransport(KvOperations kv, HybridClock clock, TxnState state, Duration timeout) {
        this.kv = kv;
        this.clock = clock;
        this.state = state;
        this.timeout = timeout;
    }

    @Override
    public BatchResponse send(BatchRequest batch) throws InterruptedException {
        BatchRequest.Builder b = batch.toBuilder();
        if (!b.getHeader().hasTxn()) {
            b.getHeaderBuilder().setTxn(state.txn());
        }
        b.getHeaderBuilder().setNow(Timestamps.toProto(clock.now()));
        try {
            BatchResponse resp = kv.batch(b.build()).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (resp.hasTxn()) {
                observe(resp.getTxn());
            }
            return resp;
        } catch (ExecutionException e) {
            throw translate(batch, e.getCause());
        } catch (TimeoutException e) {
            throw unknown(batch, "no answer within " + timeout.toMillis() + " ms", e);
        }
    }

    private void observe(Transaction t) {
        state.replied(t);
        // Causality: whatever this gateway does next happens after what the replicas did.
        clock.update(Timestamps.fromProto(t.getMeta().getWriteTimestamp()));
    }

    private TxnException translate(BatchRequest batch, Throwable cause) {
        if (!(cause instanceof KvException k)) {
            return new TxnException(ErrorKind.INTERNAL, "transaction batch failed: " + cause, cause);
        }
        Error e = k.error();
        if (e.hasTxn()) {
            observe(e.getTxn());
        }
        return switch (e.getKind()) {
            case TRANSACTION_RETRY, READ_WITHIN_UNCERTAINTY, REFRESH_FAILED ->
                    new TxnRetryException(e.getKind(), e.getRetryReason(), false, e.getMessage(), k);
            case TRANSACTION_ABORTED -> new TxnRetryException(e.getKind(), e.getRetryReason() == RetryReason.RETRY_REASON_UNSPECIFIED
                    ? RetryReason.RETRY_ABORTED_BY_PUSHER : e.getRetryReason(), true, e.getMessage(), k);
            case AMBIGUOUS_RESULT -> unknown(batch, e.getMessage(), k);
            default -> new TxnException(e.getKind(), e.getMessage(), k);
        };
    }

    private static TxnException unknown(BatchRequest batch, String message, Throwable cause) {
        boolean commit = batch.getRequestsList().stream().anyMatch(r -> r.hasEndTxn() && r.getEndTxn().getCommit());
        if (commit) {
            return new TxnAmbiguousException("the commit's outcome is unknown: " + message, cause);
        }
        boolean write = batch.getRequestsList().stream().anyMatch(TxnTransport::writes);
        if (write) {
            // The write may have left an intent or not; a new epoch makes the question moot.
            return new TxnRetryException(ErrorKind.AMBIGUOUS_RESULT, RetryReason.RETRY_ASYNC_WRITE_FAILURE, false,
                    "a write's outcome is unknown (" + message + "); the transaction restarts", cause);
        }
        return new TxnException(ErrorKind.UNAVAILABLE, message, cause);
    }

    static boolean writes(RequestUnion r) {
        return switch (r.getValueCase()) {
            case PUT, DELETE, CONDITIONAL_PUT, INCREMENT -> true;
            default -> false;
        };
    }
}
