package dev.meridian.cluster.replica.concurrency;

import dev.meridian.storage.mvcc.Timestamp;

import java.util.Objects;
import java.util.UUID;

/**
 * A transaction as concurrency control sees it: its id, the timestamp it writes at, and its
 * priority (higher wins conflicts, see {@link PushPolicy}).
 */
public record TxnRef(UUID id, Timestamp writeTimestamp, int priority) {
    public TxnRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(writeTimestamp, "writeTimestamp");
    }
}
