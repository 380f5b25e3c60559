package dev.meridian.storage.mvcc;

/** The isolation level a transaction runs at; recorded in its lock records for conflict handling. */
public enum IsolationLevel {
    SERIALIZABLE,
    READ_COMMITTED
}
