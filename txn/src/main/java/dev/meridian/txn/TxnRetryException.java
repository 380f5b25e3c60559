package dev.meridian.txn;

import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.RetryReason;

/**
 * The transaction must run again (SQLSTATE 40001): what it read may have changed under it, it
 * lost a conflict, or it was aborted. Nothing it wrote is visible to anyone.
 * {@link TxnClient#run} retries such failures; code that drives a {@link Txn} itself may
 * {@link Txn#restart()} and run its work again (or begin a new transaction when
 * {@link #needsNewTransaction()}).
 */
public final class TxnRetryException extends TxnException {

    private final RetryReason reason;
    private final boolean newTransaction;

    public TxnRetryException(ErrorKind kind, RetryReason reason, boolean newTransaction, String message, Throwable cause) {
        super(kind, message, cause);
        this.reason = reason;
        this.newTransaction = newTransaction;
    }

    /** Why: write too old, a failed refresh, uncertainty, aborted by a pusher or a deadlock, a lost write. */
    public RetryReason reason() {
        return reason;
    }

    /** True when this transaction is aborted for good and the work must run in a new one. */
    public boolean needsNewTransaction() {
        return newTransaction;
    }

    @Override
    public String sqlState() {
        return "40001";
    }
}
