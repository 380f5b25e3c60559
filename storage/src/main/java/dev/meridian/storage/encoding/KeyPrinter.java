package dev.meridian.storage.encoding;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * Renders an encoded key for humans: {@code /52/1/"abc"/NULL/2024-01-31}. Never throws on a bad
 * key: debug tools must show what is there, so undecodable or extra bytes are printed as hex.
 */
final class KeyPrinter {

    private static final DateTimeFormatter WHOLE_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private KeyPrinter() {
    }

    static String format(byte[] key, int idCount, List<KeyColumn> columns) {
        StringBuilder out = new StringBuilder();
        KeyReader reader = new KeyReader(key);
        int valueStart = 0;
        try {
            for (int i = 0; i < idCount; i++) {
                long id = reader.readUnsignedId();
                out.append('/').append(id);
                valueStart = reader.position();
            }
            for (KeyColumn column : columns) {
                Object value = reader.readValue(column);
                appendValue(out.append('/'), value);
                valueStart = reader.position();
            }
        } catch (KeyDecodingException e) {
            // Show the whole value that failed, not just the bytes after the failure point.
            return out.append("/<undecodable ").append(hexFrom(key, valueStart))
                    .append(": ").append(e.getMessage()).append('>').toString();
        }
        if (reader.hasRemaining()) {
            out.append("/<extra ").append(hexFrom(key, reader.position())).append('>');
        }
        return out.toString();
    }

    private static void appendValue(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("NULL");
            case String s -> appendQuoted(out, s);
            case byte[] b -> out.append("x'").append(HexFormat.of().formatHex(b)).append('\'');
            case LocalDateTime t -> out.append((t.getNano() == 0 ? WHOLE_SECONDS : MICROS).format(t));
            default -> out.append(value);
        }
    }

    private static void appendQuoted(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7F) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private static String hexFrom(byte[] key, int position) {
        return "0x" + HexFormat.of().formatHex(key, position, key.length);
    }
}
