package dev.meridian.txn;

import dev.meridian.proto.kv.ErrorKind;

/**
 * The commit's outcome is unknown (SQLSTATE 40003): the transaction may have committed or not.
 * Never reported as a failure; the application must find out (or make its work idempotent).
 */
public final class TxnAmbiguousException extends TxnException {

    public TxnAmbiguousException(String message, Throwable cause) {
        super(ErrorKind.AMBIGUOUS_RESULT, message, cause);
    }

    @Override
    public String sqlState() {
        return "40003";
    }
}
