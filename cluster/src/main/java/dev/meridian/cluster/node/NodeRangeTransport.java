package dev.meridian.cluster.node;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.meridian.cluster.kv.GrpcRangeTransport;
import dev.meridian.cluster.kv.RangeTransport;
import dev.meridian.cluster.kv.RequestNotSentException;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.FirstRangeRequest;
import dev.meridian.proto.kv.FirstRangeResponse;
import dev.meridian.proto.kv.KvGrpc;
import dev.meridian.proto.kv.NodeDescriptor;
import dev.meridian.proto.kv.NodeGrpc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A node's way to the cluster's ranges: batches for this node go straight to its store (on
 * the KV executor), others over gRPC to the address the directory has; the first range comes
 * from the local store when it has a replica, else from the other nodes in turn.
 */
final class NodeRangeTransport implements RangeTransport {

    private final Node node;
    private final NodeChannels channels;
    private final ExecutorService executor;
    private final Duration rpcTimeout;
    private final NetworkFaults faults;

    NodeRangeTransport(Node node, NodeChannels channels, ExecutorService executor, Duration rpcTimeout,
                       NetworkFaults faults) {
        this.faults = faults;
        this.node = node;
        this.channels = channels;
        this.executor = executor;
        this.rpcTimeout = rpcTimeout;
    }

    @Override
    public CompletableFuture<BatchResponse> send(long nodeId, BatchRequest request) {
        if (nodeId == node.nodeId()) {
            return CompletableFuture.supplyAsync(() -> node.serveLocal(request), executor);
        }
        NodeDescriptor d = node.directory().get(nodeId).orElse(null);
        if (d == null) {
            node.refreshDirectorySoon();
            return CompletableFuture.failedFuture(new RequestNotSentException("address of n" + nodeId + " unknown", null));
        }
        if (faults.blocked(node.nodeId(), nodeId)) {
            return timeoutAfter(null);
        }
        CompletableFuture<BatchResponse> sent = toCompletable(KvGrpc.newFutureStub(channels.get(d.getAddress()))
                .withDeadlineAfter(rpcTimeout.toNanos(), TimeUnit.NANOSECONDS).batch(request));
        if (faults.blocked(nodeId, node.nodeId())) {
            // The request arrives and may be carried out; its answer is lost.
            return sent.handle((r, e) -> r).thenCompose(this::timeoutAfter);
        }
        return sent.exceptionallyCompose(t -> CompletableFuture.failedFuture(GrpcRangeTransport.classify(t)));
    }

    /** What a caller behind a partition sees: nothing, then a deadline. */
    private CompletableFuture<BatchResponse> timeoutAfter(Object ignored) {
        CompletableFuture<BatchResponse> f = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(Math.min(rpcTimeout.toMillis(), 1000), TimeUnit.MILLISECONDS).execute(() ->
                f.completeExceptionally(io.grpc.Status.DEADLINE_EXCEEDED.withDescription("partitioned (injected fault)")
                        .asRuntimeException()));
        return f;
    }

    @Override
    public CompletableFuture<FirstRangeResponse> firstRange() {
        FirstRangeResponse local = node.localFirstRange();
        if (local.hasRangeDescriptor()) {
            return CompletableFuture.completedFuture(local);
        }
        List<NodeDescriptor> others = node.directory().all().stream().filter(d -> d.getNodeId() != node.nodeId()).toList();
        List<String> addresses = others.isEmpty() ? node.joinAddresses()
                : others.stream().map(NodeDescriptor::getAddress).toList();
        return askInTurn(addresses, 0);
    }

    private CompletableFuture<FirstRangeResponse> askInTurn(List<String> addresses, int i) {
        if (i >= addresses.size()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no node knows the first range yet"));
        }
        return toCompletable(NodeGrpc.newFutureStub(channels.get(addresses.get(i)))
                .withDeadlineAfter(rpcTimeout.toNanos(), TimeUnit.NANOSECONDS).firstRange(FirstRangeRequest.getDefaultInstance()))
                .handle((r, e) -> e == null && r.hasRangeDescriptor() ? CompletableFuture.completedFuture(r)
                        : askInTurn(addresses, i + 1))
                .thenCompose(f -> f);
    }

    static <T> CompletableFuture<T> toCompletable(ListenableFuture<T> lf) {
        CompletableFuture<T> cf = new CompletableFuture<>();
        Futures.addCallback(lf, new FutureCallback<>() {
            @Override
            public void onSuccess(T result) {
                cf.complete(result);
            }

            @Override
            public void onFailure(Throwable t) {
                cf.completeExceptionally(t);
            }
        }, MoreExecutors.directExecutor());
        return cf;
    }
}
