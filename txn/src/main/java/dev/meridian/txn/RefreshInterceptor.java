package dev.meridian.txn;

import dev.meridian.cluster.time.Timestamps;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.IsolationLevel;
import dev.meridian.proto.kv.RefreshRequest;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.RetryReason;
import dev.meridian.proto.kv.Transaction;
import dev.meridian.storage.mvcc.Timestamp;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the transaction serializable when its timestamp has to move, without restarting it when
 * it can: it remembers every span the transaction read, and when the read timestamp must move up
 * (a read met an uncertain value; a write was pushed above the reads, by the timestamp cache, a
 * newer version or a higher-priority reader), it asks every range whether anything was written
 * on those spans between the old and the new read timestamp. If nothing was, the reads are as good
 * at the new timestamp: the read timestamp moves and the failed batch is sent again. If something
 * was, the transaction must restart ({@link TxnRetryException}).
 *
 * <p>Before a commit whose write timestamp is above its read timestamp it refreshes up to the
 * write timestamp first (a SERIALIZABLE transaction commits only where it read). READ COMMITTED
 * transactions never refresh: they accept that their reads are from before their commit.
 */
final class RefreshInterceptor implements TxnInterceptor {

    /** Refresh-and-resend rounds for one batch before the transaction restarts instead. */
    private static final int MAX_ROUNDS = 5;

    private final TxnState state;
    private final TxnMetrics metrics;
    private final List<RefreshRequest> reads = new ArrayList<>();

    RefreshInterceptor(TxnState state, TxnMetrics metrics) {
        this.state = state;
        this.metrics = metrics;
    }

    @Override
    public BatchResponse send(BatchRequest batch, Next next) throws InterruptedException {
        boolean serializable = state.txn().getMeta().getIsolation() != IsolationLevel.READ_COMMITTED;
        boolean commit = batch.getRequestsList().stream().anyMatch(r -> r.hasEndTxn() && r.getEndTxn().getCommit());
        for (int round = 0; ; round++) {
            if (commit && serializable && state.readTs().less(state.writeTs())) {
                refresh(state.writeTs(), next);
            }
            try {
                BatchResponse resp = next.send(batch);
                remember(batch);
                return resp;
            } catch (TxnRetryException e) {
                if (e.needsNewTransaction() || round >= MAX_ROUNDS) {
                    throw e;
                }
                Timestamp to = target(e);
                if (to == null) {
                    throw e;
                }
                if (!serializable && e.kind() == ErrorKind.TRANSACTION_RETRY) {
                    // READ COMMITTED commits where it was pushed to, reads or not.
                    state.writeAtLeast(to);
                    continue;
                }
                refresh(to, next);
            }
        }
    }

    /** Where the read timestamp must move for the failed batch to succeed, or null if a refresh cannot help. */
    private Timestamp target(TxnRetryException e) {
        var err = e.getCause() instanceof dev.meridian.cluster.kv.KvException k ? k.error() : null;
        if (err == null) {
            return null;
        }
        return switch (e.kind()) {
            case READ_WITHIN_UNCERTAINTY -> Timestamps.fromProto(err.getExistingTimestamp()).next().forward(state.writeTs());
            case TRANSACTION_RETRY -> {
                Timestamp to = state.writeTs();
                if (err.hasExistingTimestamp()) {
                    to = to.forward(Timestamps.fromProto(err.getExistingTimestamp()));
                }
                yield to;
            }
            default -> null;
        };
    }

    /**
     * Moves the reads to {@code to} if nothing was written on them since they were read.
     *
     * @throws TxnRetryException if something was (the transaction must restart)
     */
    private void refresh(Timestamp to, Next next) throws InterruptedException {
        Timestamp from = state.readTs();
        if (!from.less(to)) {
            return;
        }
        List<RefreshRequest> spans;
        synchronized (reads) {
            spans = List.copyOf(reads);
        }
        if (!spans.isEmpty()) {
            metrics.refreshes.add(1);
            Transaction at = state.txn().toBuilder().setReadTimestamp(Timestamps.toProto(to)).build();
            BatchRequest.Builder b = BatchRequest.newBuilder();
            b.getHeaderBuilder().setTxn(at);
            for (RefreshRequest r : spans) {
                b.addRequests(RequestUnion.newBuilder().setRefresh(r.toBuilder().setRefreshFrom(Timestamps.toProto(from))));
            }
            try {
                next.send(b.build());
            } catch (TxnRetryException e) {
                metrics.refreshFailures.add(1);
                throw new TxnRetryException(e.kind(), RetryReason.RETRY_SERIALIZABLE, false,
                        "the transaction's reads could not move from " + from + " to " + to + ": " + e.getMessage(), e);
            } catch (TxnException e) {
                if (e.kind() == ErrorKind.INVALID_ARGUMENT || e.kind() == ErrorKind.INTERNAL) {
                    throw e;
                }
                metrics.refreshFailures.add(1);
                throw new TxnRetryException(e.kind(), RetryReason.RETRY_SERIALIZABLE, false,
                        "the transaction's reads could not be refreshed: " + e.getMessage(), e);
            }
        }
        state.readAt(to);
    }

    private void remember(BatchRequest batch) {
        synchronized (reads) {
            for (RequestUnion r : batch.getRequestsList()) {
                switch (r.getValueCase()) {
                    case GET -> reads.add(RefreshRequest.newBuilder().setKey(r.getGet().getKey()).build());
                    case SCAN -> reads.add(RefreshRequest.newBuilder().setKey(r.getScan().getStartKey())
                            .setEndKey(r.getScan().getEndKey()).build());
                    // Conditional puts and increments read what they overwrite, but under their
                    // own intent: nobody can write there before the transaction ends.
                    default -> {
                    }
                }
            }
        }
    }

    @Override
    public void epochBumped() {
        synchronized (reads) {
            reads.clear();
        }
    }
}
