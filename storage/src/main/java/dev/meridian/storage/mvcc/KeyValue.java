package dev.meridian.storage.mvcc;

/**
 * A row returned by a scan: a user key, the value visible to the reader and that value's
 * version timestamp (for the reader's own intent, the intent's timestamp).
 */
public record KeyValue(byte[] key, byte[] value, Timestamp timestamp) {
}
