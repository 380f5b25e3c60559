package dev.meridian.cluster.kv;

import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.FirstRangeRequest;
import dev.meridian.proto.kv.FirstRangeResponse;
import dev.meridian.proto.kv.KvGrpc;
import dev.meridian.proto.kv.NodeDescriptor;
import dev.meridian.proto.kv.NodeGrpc;
import dev.meridian.proto.kv.NodesRequest;
import dev.meridian.proto.kv.NodesResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real gRPC server on 127.0.0.1 (any free port) serving the Kv and Node services with
 * behavior the test supplies: what a batch returns (null: never answer; a thrown
 * StatusRuntimeException: that status), the node list and the
 * first range. Records every batch it received.
 */
final class FakeNodeServer implements AutoCloseable {

    final long nodeId;
    final List<BatchRequest> received = new CopyOnWriteArrayList<>();
    volatile Function<BatchRequest, BatchResponse> onBatch;
    volatile List<NodeDescriptor> nodes = List.of();
    volatile FirstRangeResponse firstRange = FirstRangeResponse.getDefaultInstance();
    private final Server server;

    FakeNodeServer(long nodeId, Function<BatchRequest, BatchResponse> onBatch) throws IOException {
        this.nodeId = nodeId;
        this.onBatch = onBatch;
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new KvGrpc.KvImplBase() {
                    @Override
                    public void batch(BatchRequest request, StreamObserver<BatchResponse> out) {
                        received.add(request);
                        BatchResponse resp;
                        try {
                            resp = FakeNodeServer.this.onBatch.apply(request);
                        } catch (io.grpc.StatusRuntimeException e) {
                            out.onError(e);
                            return;
                        }
                        if (resp != null) {
                            out.onNext(resp);
                            out.onCompleted();
                        }
                    }
                })
                .addService(new NodeGrpc.NodeImplBase() {
                    @Override
                    public void nodes(NodesRequest request, StreamObserver<NodesResponse> out) {
                        out.onNext(NodesResponse.newBuilder().addAllNodes(nodes).build());
                        out.onCompleted();
                    }

                    @Override
                    public void firstRange(FirstRangeRequest request, StreamObserver<FirstRangeResponse> out) {
                        out.onNext(firstRange);
                        out.onCompleted();
                    }
                })
                .build()
                .start();
    }

    String address() {
        return "127.0.0.1:" + server.getPort();
    }

    NodeDescriptor descriptor() {
        return NodeDescriptor.newBuilder().setNodeId(nodeId).setAddress(address()).build();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
    }
}
