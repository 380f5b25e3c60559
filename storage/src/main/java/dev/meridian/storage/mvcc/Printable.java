package dev.meridian.storage.mvcc;

import java.util.HexFormat;

/** Readable forms of keys and values for messages: text when printable ASCII, else hex. */
final class Printable {
    private Printable() {
    }

    /** {@code "abc"} for printable ASCII, {@code 0x00ff} otherwise. */
    static String bytes(byte[] b) {
        if (b == null) {
            return "<null>";
        }
        for (byte c : b) {
            if (c < 0x21 || c > 0x7E) {
                return "0x" + HexFormat.of().formatHex(b);
            }
        }
        return new String(b, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
