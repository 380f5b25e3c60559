package dev.meridian.storage.mvcc;

/** What resolving one key's intent did. Resolution is idempotent: a retry finds NO_INTENT or UNCHANGED. */
public enum ResolveOutcome {
    /** The key has no intent; nothing changed. */
    NO_INTENT,
    /** The intent belongs to another transaction; it was not touched. */
    OTHER_TXN,
    /** The intent belongs to a newer epoch than the update; it was not touched. */
    STALE_EPOCH,
    /** The intent was already as the update asks; nothing changed. */
    UNCHANGED,
    /** The intent became a committed version and its lock record was removed. */
    COMMITTED,
    /** The intent (provisional version and lock record) was removed: aborted, of an older epoch, or all its writes ignored. */
    REMOVED,
    /** A pending intent was moved to a higher timestamp and/or lost its ignored writes. */
    UPDATED;

    /** Whether the key's state changed. */
    public boolean changed() {
        return this == COMMITTED || this == REMOVED || this == UPDATED;
    }
}
