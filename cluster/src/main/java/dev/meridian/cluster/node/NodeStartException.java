package dev.meridian.cluster.node;

/** A node refuses to start, with a message for the operator saying why. */
public final class NodeStartException extends RuntimeException {
    public NodeStartException(String message) {
        super(message);
    }
}
