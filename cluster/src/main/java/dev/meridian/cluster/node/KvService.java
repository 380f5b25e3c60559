package dev.meridian.cluster.node;

import dev.meridian.cluster.replica.Replica;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.KvGrpc;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node's KV gRPC service: one range's batch per call, handed to the KV executor (the
 * transport's event loops must not block) and answered with the replica's response. Every
 * failure becomes an error response, never a broken call.
 */
final class KvService extends KvGrpc.KvImplBase {

    private static final Logger LOG = Logger.getLogger(KvService.class.getName());

    private final Node node;

    KvService(Node node) {
        this.node = node;
    }

    @Override
    public void batch(BatchRequest request, StreamObserver<BatchResponse> out) {
        try {
            node.kvExecutor().execute(() -> answer(request, out));
        } catch (RejectedExecutionException e) {
            reply(out, error(ErrorKind.NODE_UNAVAILABLE, "node is stopping"));
        }
    }

    private void answer(BatchRequest request, StreamObserver<BatchResponse> out) {
        BatchResponse resp;
        try {
            resp = node.serveLocal(request);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "KV batch failed", e);
            resp = error(Replica.internalKind(request), String.valueOf(e));
        } catch (Error e) {
            // Answer before the error goes on to the executor's handler: a caller without a
            // deadline would otherwise wait forever.
            reply(out, error(Replica.internalKind(request), "node error: " + e));
            throw e;
        }
        reply(out, resp);
    }

    private static void reply(StreamObserver<BatchResponse> out, BatchResponse resp) {
        try {
            out.onNext(resp);
            out.onCompleted();
        } catch (RuntimeException e) {
            // The caller went away (cancelled, deadline): nothing to tell it.
            LOG.fine(() -> "KV reply dropped: " + e);
        }
    }

    static BatchResponse error(ErrorKind kind, String message) {
        return BatchResponse.newBuilder().setError(dev.meridian.proto.kv.Error.newBuilder().setKind(kind).setIndex(-1)
                .setMessage(message)).build();
    }
}
