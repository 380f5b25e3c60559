package dev.meridian.storage.mvcc;

/**
 * The part of {@link MvccStats} that depends on a key as a whole rather than on single entries:
 * computed before and after each mutation of the key, and the difference added to the stats.
 */
record KeySummary(boolean exists, boolean live, long liveBytes, boolean intent, long intentBytes) {
    static final KeySummary ABSENT = new KeySummary(false, false, 0, false, 0);
}
