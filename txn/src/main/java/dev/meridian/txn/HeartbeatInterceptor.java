package dev.meridian.txn;

import com.google.protobuf.ByteString;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.HeartbeatTxnRequest;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.RetryReason;
import dev.meridian.proto.kv.TransactionStatus;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Anchors the transaction at its first written key (its record lives on that key's range) and,
 * from then on, keeps the record alive with a heartbeat every {@code interval}: a transaction
 * whose coordinator stops heartbeating may be aborted by anyone it blocks. A heartbeat that finds
 * the record aborted makes every later request of the transaction fail at once.
 */
final class HeartbeatInterceptor implements TxnInterceptor {

    private final TxnState state;
    private final ScheduledExecutorService timer;
    private final Duration interval;
    private final Next transport;
    private final TxnMetrics metrics;
    private ScheduledFuture<?> beating;

    HeartbeatInterceptor(TxnState state, ScheduledExecutorService timer, Duration interval, Next transport, TxnMetrics metrics) {
        this.state = state;
        this.timer = timer;
        this.interval = interval;
        this.transport = transport;
        this.metrics = metrics;
    }

    @Override
    public BatchResponse send(BatchRequest batch, Next next) throws InterruptedException {
        if (state.abortedRemotely()) {
            throw new TxnRetryException(ErrorKind.TRANSACTION_ABORTED, RetryReason.RETRY_ABORTED_BY_PUSHER, true,
                    "transaction " + dev.meridian.cluster.kv.TxnProtos.uuid(state.txn().getMeta().getId())
                            + " was aborted (a stronger or deadlocked transaction, or its record expired)", null);
        }
        if (!state.hasAnchor()) {
            for (RequestUnion r : batch.getRequestsList()) {
                if (TxnTransport.writes(r)) {
                    state.setAnchor(dev.meridian.cluster.kv.BatchRequests.pointKey(r));
                    break;
                }
            }
        }
        if (state.hasAnchor()) {
            startLocked();
        }
        return next.send(batch);
    }

    private synchronized void startLocked() {
        if (beating == null) {
            long ms = interval.toMillis();
            beating = timer.scheduleWithFixedDelay(this::beat, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    private void beat() {
        if (state.status() != TransactionStatus.PENDING) {
            return;
        }
        try {
            metrics.heartbeats.add(1);
            transport.send(BatchRequest.newBuilder().addRequests(RequestUnion.newBuilder().setHeartbeatTxn(
                    HeartbeatTxnRequest.newBuilder().setKey(ByteString.copyFrom(state.anchor())))).build());
        } catch (TxnRetryException e) {
            if (e.needsNewTransaction()) {
                state.markAbortedRemotely();
                stop();
            }
        } catch (TxnException e) {
            // Unreachable for now: the next beat tries again; the record expires only after several.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void stop() {
        if (beating != null) {
            beating.cancel(false);
            beating = null;
        }
    }

    @Override
    public void closed() {
        stop();
    }
}
