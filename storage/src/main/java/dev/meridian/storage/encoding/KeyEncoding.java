package dev.meridian.storage.encoding;

import java.util.Arrays;
import java.util.List;

/** Entry point of the key encoding: writers, readers, scan bounds and printing. */
public final class KeyEncoding {

    private KeyEncoding() {
    }

    public static KeyWriter writer() {
        return new KeyWriter();
    }

    public static KeyReader reader(byte[] key) {
        return new KeyReader(key);
    }

    /**
     * The smallest key greater than every key that starts with {@code prefix}: the prefix with
     * trailing 0xFF bytes dropped and its last byte incremented. Used as the exclusive upper
     * bound of a prefix scan.
     *
     * @return the bound, or {@code null} when there is none (empty or all-0xFF prefix), which is
     *         the engine's "unbounded"
     */
    public static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }

    /**
     * Decodes {@code idCount} unsigned ids and then one value per column, e.g.
     * {@code /52/1/"abc"/NULL/2024-01-31}. Bytes that do not decode, or remain after the last
     * column, are shown in hex rather than thrown, because debug tools must show bad keys.
     */
    public static String format(byte[] key, int idCount, List<KeyColumn> columns) {
        return KeyPrinter.format(key, idCount, columns);
    }
}
