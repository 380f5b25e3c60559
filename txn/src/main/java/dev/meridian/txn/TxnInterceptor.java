package dev.meridian.txn;

import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;

/**
 * One layer of the coordinator's stack (see {@link Txn} for the stack and why it is in that
 * order). A layer may change a batch on its way down, send it more than once, send other
 * batches, or answer without sending. Failures are {@link TxnException}s.
 */
interface TxnInterceptor {

    /** The layers below. */
    @FunctionalInterface
    interface Next {
        BatchResponse send(BatchRequest batch) throws InterruptedException;
    }

    BatchResponse send(BatchRequest batch, Next next) throws InterruptedException;

    /** The transaction starts a new epoch: forget what belonged to the old one. */
    default void epochBumped() {
    }

    /** The transaction is over (committed, rolled back or abandoned): stop any background work. */
    default void closed() {
    }
}
