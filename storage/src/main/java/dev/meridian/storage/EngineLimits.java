package dev.meridian.storage;

/**
 * The largest key and value an engine accepts. A larger one is refused with
 * {@link OversizedException} before anything is written.
 *
 * @param maxKeyBytes   the largest accepted key, in bytes
 * @param maxValueBytes the largest accepted value, in bytes
 */
public record EngineLimits(int maxKeyBytes, int maxValueBytes) {

    /** 8 KiB keys and 64 MiB values: room for wide composite keys and large rows. */
    public static final EngineLimits DEFAULT = new EngineLimits(8 * 1024, 64 * 1024 * 1024);

    public EngineLimits {
        if (maxKeyBytes <= 0 || maxValueBytes <= 0) {
            throw new IllegalArgumentException("limits must be positive: " + maxKeyBytes + ", " + maxValueBytes);
        }
    }

    /** Throws {@link OversizedException} if {@code key} is longer than allowed. */
    public void checkKey(byte[] key) {
        if (key.length > maxKeyBytes) {
            throw new OversizedException("key", key.length, maxKeyBytes);
        }
    }

    /** Throws {@link OversizedException} if {@code value} is longer than allowed. */
    public void checkValue(byte[] value) {
        if (value.length > maxValueBytes) {
            throw new OversizedException("value", value.length, maxValueBytes);
        }
    }
}
