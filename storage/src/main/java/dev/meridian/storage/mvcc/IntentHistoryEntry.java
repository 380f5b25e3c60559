package dev.meridian.storage.mvcc;

/**
 * One write of a transaction to a key within one epoch: the value it wrote at a sequence number.
 *
 * @param sequence the writing operation's sequence number
 * @param value    the value written, or {@code null} for a deletion (tombstone)
 */
public record IntentHistoryEntry(int sequence, byte[] value) {

    public boolean isTombstone() {
        return value == null;
    }
}
