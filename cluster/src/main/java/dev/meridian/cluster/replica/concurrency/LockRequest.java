package dev.meridian.cluster.replica.concurrency;

import dev.meridian.storage.mvcc.Timestamp;

import java.util.List;
import java.util.Objects;

/**
 * A request as the lock table sees it.
 *
 * @param id            unique among the requests in the table at one time
 * @param txn           the request's transaction, or {@code null} for a non-transactional one
 * @param readTimestamp the timestamp it reads at (intents above it do not block its reads)
 * @param spans         the keys it touches
 */
public record LockRequest(long id, TxnRef txn, Timestamp readTimestamp, List<LockSpan> spans) {
    public LockRequest {
        Objects.requireNonNull(readTimestamp, "readTimestamp");
        spans = List.copyOf(spans);
        if (spans.isEmpty()) {
            throw new IllegalArgumentException("a request touches at least one key");
        }
    }
}
