package dev.meridian.cluster.raft.grpc;

import java.util.Locale;

/** Why the transport dropped a batch; the {@code reason} attribute of the drop counter. */
enum DropReason {
    /** Outbound: the destination's queue was at its batch or byte limit. */
    QUEUE_FULL,
    /** Outbound: the encoded batch exceeds the maximum message size. */
    TOO_LARGE,
    /** Outbound: the address book does not know the destination. */
    UNKNOWN_NODE,
    /** Outbound: the destination's stream failed recently and its reconnection backoff runs. */
    BACKOFF,
    /** Outbound: queued for a stream that broke before it could be sent. */
    STREAM_BROKEN,
    /** Outbound: the transport was closed. */
    CLOSED,
    /** Inbound: the batch is addressed to another node. */
    WRONG_NODE,
    /** Inbound: the batch did not decode into valid Raft messages. */
    MALFORMED,
    /** Inbound: a batch of an older stream from the same sender, arriving after a newer one. */
    STALE_STREAM,
    /** Inbound: arrived before {@link GrpcRaftTransport#start}. */
    NOT_STARTED;

    /** The attribute value: lower case, as metric attributes are. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
