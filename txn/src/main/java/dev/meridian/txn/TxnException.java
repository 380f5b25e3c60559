package dev.meridian.txn;

import dev.meridian.proto.kv.ErrorKind;

/**
 * A transaction operation failed. {@link #sqlState()} is the PostgreSQL code a SQL client sees:
 * 40001 for {@link TxnRetryException} (retry the transaction), 40003 for
 * {@link TxnAmbiguousException} (the commit may or may not have happened), otherwise the code of
 * the KV error ({@link #kind()}).
 */
public class TxnException extends RuntimeException {

    private final ErrorKind kind;

    public TxnException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** The KV error behind this failure. */
    public ErrorKind kind() {
        return kind;
    }

    /** The SQLSTATE of this failure. */
    public String sqlState() {
        return switch (kind) {
            case CONDITION_FAILED -> "23505";
            case INVALID_ARGUMENT -> "22023";
            case UNAVAILABLE, NODE_UNAVAILABLE, RANGE_NOT_FOUND -> "08006";
            default -> "XX000";
        };
    }
}
