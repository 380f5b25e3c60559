package dev.meridian.cluster.raft.grpc;

/**
 * A batch received from the network could not be decoded into valid Raft values: an unknown or
 * missing enum value, a missing required message, a negative node id, term or index. The whole
 * batch is dropped; nothing of it reaches the node.
 */
public final class MalformedRaftMessageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedRaftMessageException(String message) {
        super(message);
    }

    public MalformedRaftMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
