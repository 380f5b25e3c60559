package dev.meridian.cluster.kv;

import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.FirstRangeResponse;

import java.util.concurrent.CompletableFuture;

/**
 * How the DistSender reaches nodes: the KV service of a node by id, and the first range's
 * descriptor from any node that knows it. Implemented over gRPC for clients and nodes; a
 * failure to reach a node completes the future exceptionally (DistSender then tries another
 * replica), while an error the node returns arrives as {@link BatchResponse#getError()}.
 */
public interface RangeTransport {

    /** Sends one range's batch to the node. */
    CompletableFuture<BatchResponse> send(long nodeId, BatchRequest request);

    /** The first range's descriptor and lease, asked of the nodes this transport knows. */
    CompletableFuture<FirstRangeResponse> firstRange();
}
