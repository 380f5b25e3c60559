package dev.meridian.cluster.node;

import dev.meridian.proto.kv.DrainRequest;
import dev.meridian.proto.kv.DrainResponse;
import dev.meridian.proto.kv.FirstRangeRequest;
import dev.meridian.proto.kv.FirstRangeResponse;
import dev.meridian.proto.kv.InitRequest;
import dev.meridian.proto.kv.InitResponse;
import dev.meridian.proto.kv.JoinRequest;
import dev.meridian.proto.kv.JoinResponse;
import dev.meridian.proto.kv.NodeGrpc;
import dev.meridian.proto.kv.NodesRequest;
import dev.meridian.proto.kv.NodesResponse;
import dev.meridian.proto.kv.PingRequest;
import dev.meridian.proto.kv.PingResponse;
import dev.meridian.proto.kv.RangesRequest;
import dev.meridian.proto.kv.RangesResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The node gRPC service: init, join, discovery and drain. Blocking work runs on the KV executor. */
final class NodeService extends NodeGrpc.NodeImplBase {

    private static final Logger LOG = Logger.getLogger(NodeService.class.getName());

    private final Node node;

    NodeService(Node node) {
        this.node = node;
    }

    @Override
    public void init(InitRequest request, StreamObserver<InitResponse> out) {
        run(out, () -> {
            Node.InitOutcome o = node.init();
            if (!o.ok()) {
                throw Status.ALREADY_EXISTS.withDescription(o.refusal()).asRuntimeException();
            }
            return InitResponse.newBuilder().setClusterId(o.ident().getClusterId()).setNodeId(o.ident().getNodeId()).build();
        });
    }

    @Override
    public void join(JoinRequest request, StreamObserver<JoinResponse> out) {
        run(out, () -> node.join(request));
    }

    @Override
    public void firstRange(FirstRangeRequest request, StreamObserver<FirstRangeResponse> out) {
        run(out, node::localFirstRange);
    }

    @Override
    public void nodes(NodesRequest request, StreamObserver<NodesResponse> out) {
        run(out, () -> NodesResponse.newBuilder().addAllNodes(node.directory().all()).build());
    }

    @Override
    public void ranges(RangesRequest request, StreamObserver<RangesResponse> out) {
        run(out, () -> RangesResponse.newBuilder().addAllRanges(node.ranges()).build());
    }

    @Override
    public void drain(DrainRequest request, StreamObserver<DrainResponse> out) {
        run(out, () -> DrainResponse.newBuilder().setRemainingLeases(node.drain(Duration.ofSeconds(20))).build());
    }

    /** Answered on the gRPC thread, without a hop to an executor, so the round trip stays short. */
    @Override
    public void ping(PingRequest request, StreamObserver<PingResponse> out) {
        out.onNext(PingResponse.newBuilder().setNodeId(node.nodeId()).setPhysicalNanos(node.physicalNanos()).build());
        out.onCompleted();
    }

    private <T> void run(StreamObserver<T> out, Callable<T> call) {
        try {
            node.kvExecutor().execute(() -> {
                try {
                    T result = call.call();
                    out.onNext(result);
                    out.onCompleted();
                } catch (StatusRuntimeException e) {
                    out.onError(e);
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "node service call failed", e);
                    out.onError(Status.INTERNAL.withDescription(String.valueOf(e)).asRuntimeException());
                } catch (Error e) {
                    // Answer before the error goes on to the executor's handler: a caller
                    // without a deadline (or a long one, like `meridian init`) would wait on.
                    out.onError(Status.INTERNAL.withDescription("node error: " + e).asRuntimeException());
                    throw e;
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            out.onError(Status.UNAVAILABLE.withDescription("node is stopping").asRuntimeException());
        }
    }
}
