package dev.meridian.storage.mvcc;

/**
 * When a scan stops early and returns a resume span.
 *
 * @param maxKeys  the most rows (plus intent conflicts) to return; 0 for no limit
 * @param maxBytes stop after the row that brings the returned key and value bytes to at least
 *                 this; 0 for no limit. At least one row is always returned if there is one.
 */
public record ScanLimits(long maxKeys, long maxBytes) {

    public static final ScanLimits NONE = new ScanLimits(0, 0);

    public ScanLimits {
        if (maxKeys < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("scan limits must be non-negative: " + maxKeys + ", " + maxBytes);
        }
    }

    public static ScanLimits keys(long maxKeys) {
        return new ScanLimits(maxKeys, 0);
    }
}
