package dev.meridian.cluster.kv;

/**
 * A {@link RangeTransport} failure that proves the request never left this process (no address
 * for the node, the connection could not be established). Unlike any other exceptional
 * completion of {@link RangeTransport#send}, it lets the DistSender send a write to another
 * replica: the write cannot have been applied.
 */
public final class RequestNotSentException extends RuntimeException {

    public RequestNotSentException(String message, Throwable cause) {
        super(message, cause);
    }
}
