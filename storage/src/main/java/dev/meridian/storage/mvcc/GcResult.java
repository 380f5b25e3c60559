package dev.meridian.storage.mvcc;

/**
 * The outcome of garbage collection.
 *
 * @param keysTouched     keys that lost at least one version
 * @param versionsRemoved versions removed in all
 */
public record GcResult(int keysTouched, int versionsRemoved) {
}
