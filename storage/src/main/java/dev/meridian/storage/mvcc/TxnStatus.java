package dev.meridian.storage.mvcc;

/** The status of a transaction as told to intent resolution. */
public enum TxnStatus {
    /** Still running; resolution may only move its intents to a higher (pushed) timestamp. */
    PENDING,
    /** Committed: its intents of the same epoch become committed versions at the commit timestamp. */
    COMMITTED,
    /** Aborted: its intents disappear. */
    ABORTED
}
