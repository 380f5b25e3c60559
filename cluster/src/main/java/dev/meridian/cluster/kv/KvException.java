package dev.meridian.cluster.kv;

import dev.meridian.proto.kv.Error;
import dev.meridian.proto.kv.ErrorKind;

/**
 * A KV request that failed with an error the cluster reported (or that the client concluded,
 * such as AMBIGUOUS_RESULT after a timeout). {@link #kind()} says what the caller may do: retry
 * (UNAVAILABLE, NODE_UNAVAILABLE), not retry blindly (AMBIGUOUS_RESULT: the write may have
 * happened), or fix the request (INVALID_ARGUMENT, CONDITION_FAILED).
 */
public final class KvException extends RuntimeException {

    private final transient Error error;

    public KvException(Error error) {
        super(error.getKind() + ": " + error.getMessage());
        this.error = error;
    }

    public static KvException of(ErrorKind kind, String message) {
        return new KvException(Error.newBuilder().setKind(kind).setMessage(message).setIndex(-1).build());
    }

    public ErrorKind kind() {
        return error.getKind();
    }

    public Error error() {
        return error;
    }
}
