package dev.meridian.storage.mvcc;

/**
 * The outcome of reading one key. Every expected outcome is a status, not an exception.
 *
 * @param status    what the read found
 * @param key       the user key read
 * @param value     FOUND: the value; otherwise {@code null}
 * @param timestamp FOUND: the version's timestamp; NOT_FOUND: the visible tombstone's timestamp,
 *                  or {@code null} when the key has no visible version; UNCERTAIN: the timestamp
 *                  of the newest version in the uncertainty interval, which the reader must move
 *                  above; INTENT: the intent's timestamp
 * @param conflict  INTENT: the lock holder; otherwise {@code null}
 */
public record GetResult(Status status, byte[] key, byte[] value, Timestamp timestamp, LockConflict conflict) {

    public enum Status {
        /** A live value is visible. */
        FOUND,
        /** No version is visible, or the visible one is a tombstone. */
        NOT_FOUND,
        /** Another transaction's intent at or below the read's uncertainty limit blocks the read. */
        INTENT,
        /** A committed version lies in (T, L]: the reader cannot tell whether it happened before it. */
        UNCERTAIN
    }

    static GetResult found(byte[] key, byte[] value, Timestamp ts) {
        return new GetResult(Status.FOUND, key, value, ts, null);
    }

    static GetResult notFound(byte[] key, Timestamp tombstoneTs) {
        return new GetResult(Status.NOT_FOUND, key, null, tombstoneTs, null);
    }

    static GetResult intent(byte[] key, TxnMeta holder) {
        return new GetResult(Status.INTENT, key, null, holder.writeTimestamp(), new LockConflict(key, holder));
    }

    static GetResult uncertain(byte[] key, Timestamp valueTs) {
        return new GetResult(Status.UNCERTAIN, key, null, valueTs, null);
    }
}
