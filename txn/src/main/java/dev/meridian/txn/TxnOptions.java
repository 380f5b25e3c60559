package dev.meridian.txn;

import dev.meridian.proto.kv.IsolationLevel;

/**
 * How a transaction runs.
 *
 * @param isolation    SERIALIZABLE (the default) or READ_COMMITTED
 * @param priority     conflicts between transactions are decided by priority: a stronger pusher
 *                     aborts (or, reading, pushes) a weaker lock holder, equals wait for each
 *                     other; {@link #NORMAL} by default
 * @param maxRetries   how many times {@link TxnClient#run} runs the work again after a retry error
 * @param name         shown in logs and errors
 */
public record TxnOptions(IsolationLevel isolation, int priority, int maxRetries, String name) {

    public static final int LOW = 0;
    public static final int NORMAL = 1;
    public static final int HIGH = 2;

    public TxnOptions {
        if (isolation != IsolationLevel.SERIALIZABLE && isolation != IsolationLevel.READ_COMMITTED) {
            throw new IllegalArgumentException("isolation must be SERIALIZABLE or READ_COMMITTED, not " + isolation);
        }
        if (priority < LOW || priority > HIGH) {
            throw new IllegalArgumentException("priority must be LOW, NORMAL or HIGH (0..2), not " + priority);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
    }

    /** SERIALIZABLE, normal priority, up to 100 retries. */
    public static TxnOptions defaults() {
        return new TxnOptions(IsolationLevel.SERIALIZABLE, NORMAL, 100, "txn");
    }

    public TxnOptions withIsolation(IsolationLevel level) {
        return new TxnOptions(level, priority, maxRetries, name);
    }

    public TxnOptions withPriority(int p) {
        return new TxnOptions(isolation, p, maxRetries, name);
    }

    public TxnOptions withMaxRetries(int n) {
        return new TxnOptions(isolation, priority, n, name);
    }

    public TxnOptions withName(String n) {
        return new TxnOptions(isolation, priority, maxRetries, n);
    }
}
