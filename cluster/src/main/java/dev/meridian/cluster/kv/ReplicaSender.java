package dev.meridian.cluster.kv;

import dev.meridian.cluster.kv.DistSenderMetrics.RetryReason;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.Error;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.RangeDescriptor;
import dev.meridian.proto.kv.ReplicaDescriptor;
import dev.meridian.proto.kv.ReplicaType;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one range's part of a batch to the range's replicas until one answers: the cached
 * leaseholder first, then the other voters in descriptor order, following NOT_LEASEHOLDER hints.
 *
 * <p>The write rule: a write is sent to another replica only after an answer that proves the
 * previous replica did not apply it. NOT_LEASEHOLDER, RANGE_KEY_MISMATCH, RANGE_NOT_FOUND and
 * NODE_UNAVAILABLE are decided before a command is proposed, and UNAVAILABLE promises nothing was
 * written, so they prove it; {@link RequestNotSentException} proves the request never left this
 * process. Any other transport failure or a timeout may come after the leaseholder proposed the
 * write, so the part fails AMBIGUOUS_RESULT at once, as does AMBIGUOUS_RESULT from the node.
 * HAZARD: retrying such a write elsewhere could apply it twice (an increment counts twice).
 *
 * <p>A read may be sent anywhere any number of times: on a transport failure it moves on to the
 * next replica.
 */
final class ReplicaSender {

    /** How a part ended, when it did not fail. */
    sealed interface Reply permits Ok, Replan {
    }

    /** A replica answered without error. */
    record Ok(BatchResponse response) implements Reply {
    }

    /**
     * The part wrote nothing and must be routed again after a backoff: the descriptor was stale
     * (the cache was corrected), every replica failed (the descriptor was evicted so that it is
     * looked up again), or the range was unavailable.
     */
    record Replan(RetryReason reason) implements Reply {
    }

    private final RangeTransport transport;
    private final RangeCache cache;
    private final DistSenderMetrics metrics;

    ReplicaSender(RangeTransport transport, RangeCache cache, DistSenderMetrics metrics) {
        this.transport = transport;
        this.cache = cache;
        this.metrics = metrics;
    }

    /**
     * Sends {@code part} (whose header names the range) to {@code range}'s replicas. Fails with a
     * {@link KvException}: the node's own error when definite, AMBIGUOUS_RESULT for a write of
     * unknown outcome, UNAVAILABLE when the deadline passed with nothing written.
     */
    CompletableFuture<Reply> send(RangeDescriptor range, BatchRequest part, boolean write, RetryContext ctx) {
        Attempt a = new Attempt(range, part, write, ctx);
        a.next();
        return a.result;
    }

    /** One round over a range's replicas. Its fields are touched by one callback at a time. */
    private final class Attempt {
        private final RangeDescriptor range;
        private final BatchRequest part;
        private final boolean write;
        private final RetryContext ctx;
        private final Deque<Long> pending = new ArrayDeque<>();
        private final Set<Long> tried = new HashSet<>();
        private final CompletableFuture<Reply> result = new CompletableFuture<>();

        Attempt(RangeDescriptor range, BatchRequest part, boolean write, RetryContext ctx) {
            this.range = range;
            this.part = part;
            this.write = write;
            this.ctx = ctx;
            long leaseholder = cache.leaseholderOf(range);
            if (leaseholder != 0) {
                pending.add(leaseholder);
            }
            for (ReplicaDescriptor r : range.getReplicasList()) {
                // Learners never hold the lease.
                if (r.getType() != ReplicaType.LEARNER && r.getNodeId() != leaseholder && !pending.contains(r.getNodeId())) {
                    pending.add(r.getNodeId());
                }
            }
        }

        void next() {
            if (ctx.expired()) {
                result.completeExceptionally(ctx.deadlineExceeded("r" + range.getRangeId()));
                return;
            }
            Long node = pending.poll();
            if (node == null) {
                // Every replica failed: the descriptor may be out of date (replicas moved).
                cache.evict(range);
                metrics.retry(RetryReason.DESCRIPTOR_LOOKUP);
                result.complete(new Replan(RetryReason.DESCRIPTOR_LOOKUP));
                return;
            }
            tried.add(node);
            metrics.rpc();
            CompletableFuture<BatchResponse> sent;
            try {
                sent = transport.send(node, part);
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            sent.copy().orTimeout(Math.max(1, ctx.remainingNanos()), TimeUnit.NANOSECONDS)
                    .whenComplete((resp, err) -> {
                        try {
                            if (err != null) {
                                onTransportFailure(node, unwrap(err));
                            } else {
                                onResponse(node, resp);
                            }
                        } catch (RuntimeException e) {
                            result.completeExceptionally(e);
                        }
                    });
        }

        private void onTransportFailure(long node, Throwable err) {
            if (write && !(err instanceof RequestNotSentException)) {
                String how = err instanceof TimeoutException ? "no answer before the deadline" : "transport failure";
                result.completeExceptionally(KvException.of(ErrorKind.AMBIGUOUS_RESULT, "write to r"
                        + range.getRangeId() + " on n" + node + ": " + how + " after sending (" + err
                        + "); it may or may not have been applied"));
                return;
            }
            metrics.retry(RetryReason.TRANSPORT);
            next();
        }

        private void onResponse(long node, BatchResponse resp) {
            if (!resp.hasError()) {
                cache.recordLeaseholder(range, node);
                result.complete(new Ok(resp));
                return;
            }
            Error error = resp.getError();
            switch (error.getKind()) {
                case NOT_LEASEHOLDER -> followLeaseHint(error);
                case RANGE_KEY_MISMATCH -> replanWithNewDescriptors(error);
                case RANGE_NOT_FOUND, NODE_UNAVAILABLE -> {
                    metrics.retry(error.getKind() == ErrorKind.RANGE_NOT_FOUND
                            ? RetryReason.RANGE_NOT_FOUND : RetryReason.NODE_UNAVAILABLE);
                    next();
                }
                case UNAVAILABLE -> replanUnavailable();
                case AMBIGUOUS_RESULT -> {
                    if (write) {
                        result.completeExceptionally(new KvException(error));
                    } else {
                        // A read changes nothing: its "ambiguous" failure is just a failure.
                        replanUnavailable();
                    }
                }
                default -> result.completeExceptionally(new KvException(error));
            }
        }

        private void followLeaseHint(Error error) {
            metrics.retry(RetryReason.NOT_LEASEHOLDER);
            cache.updateLease(range, error.getLeaseHint());
            long hint = error.getLeaseHint().getReplica().getNodeId();
            // A node already tried in this round is not asked again: hints may go round in
            // circles while a lease moves; the round's end backs off instead.
            if (hint != 0 && !tried.contains(hint)) {
                pending.remove(hint);
                pending.addFirst(hint);
            }
            next();
        }

        private void replanWithNewDescriptors(Error error) {
            metrics.retry(RetryReason.RANGE_KEY_MISMATCH);
            cache.evict(range);
            for (RangeDescriptor d : error.getDescriptorsList()) {
                if (d.getStartKey().size() > 0 || d.getEndKey().size() > 0) {
                    cache.insert(d);
                }
            }
            result.complete(new Replan(RetryReason.RANGE_KEY_MISMATCH));
        }

        private void replanUnavailable() {
            metrics.retry(RetryReason.UNAVAILABLE);
            result.complete(new Replan(RetryReason.UNAVAILABLE));
        }
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
