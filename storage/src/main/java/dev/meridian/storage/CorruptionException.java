package dev.meridian.storage;

import java.util.HexFormat;

/**
 * Stored bytes failed a checksum or could not be decoded. Corrupt data is reported, never
 * returned as if it were data.
 */
public final class CorruptionException extends StorageException {
    private final byte[] key;

    public CorruptionException(String message, byte[] key) {
        this(message, key, null);
    }

    /** As {@link #CorruptionException(String, byte[])}, keeping the low-level error as the cause. */
    public CorruptionException(String message, byte[] key, Throwable cause) {
        super(message + (key == null ? "" : " at key " + HexFormat.of().formatHex(key)), cause);
        this.key = key == null ? null : key.clone();
    }

    /** The key whose value is corrupt, or {@code null} when the corruption is not tied to one. */
    public byte[] key() {
        return key == null ? null : key.clone();
    }
}
