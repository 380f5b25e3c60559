package dev.meridian.storage.encoding;

/**
 * The first byte of every encoded value, in its ASC form. The table is the format
 * specification of {@code package-info.java}; HAZARD: these values are on disk.
 *
 * <p>All ASC value markers lie in {@code [0x10, 0x7D]}, so their DESC forms (inverted) lie in
 * {@code [0x82, 0xEF]}; NULL is {@code 0x7E} ASC and {@code 0x81} DESC. The two ranges never
 * overlap, so a marker alone tells the value's type and direction.
 */
final class Markers {

    static final int BOOL_FALSE = 0x10;
    static final int BOOL_TRUE = 0x11;
    /**
     * INT markers are {@code INT_ZERO + n} for a non-negative value of n significant bytes and
     * {@code INT_ZERO - 1 - n} for a negative value whose complement has n significant bytes:
     * {@code [0x1F, 0x30]}. The same "signed body" encodes DATE, TIMESTAMP and decimal exponents.
     */
    static final int INT_ZERO = 0x28;
    static final int INT_MIN = INT_ZERO - 1 - Long.BYTES;
    static final int INT_MAX = INT_ZERO + Long.BYTES;
    static final int FLOAT = 0x38;
    static final int DECIMAL_NEGATIVE = 0x50;
    static final int DECIMAL_ZERO = 0x51;
    static final int DECIMAL_POSITIVE = 0x52;
    static final int STRING = 0x60;
    static final int BYTES = 0x61;
    static final int DATE = 0x70;
    static final int TIMESTAMP = 0x71;
    /** Above every value marker, so NULL sorts last ASC and (inverted) first DESC. */
    static final int NULL = 0x7E;

    /** The largest ASC marker of a non-NULL value. */
    static final int MAX_VALUE_MARKER = 0x7D;

    /** Ends an escaped string or bytes value: {@code 0x00 0x01}; sorts below any content byte. */
    static final int ESCAPE = 0x00;
    static final int ESCAPED_ZERO = 0xFF;
    static final int TERMINATOR = 0x01;

    /** Ends a decimal's digit pairs; pair bytes are {@code 1..100}. */
    static final int DIGITS_END = 0x00;

    /** Unsigned ids below this take one byte; {@code 0xF8 + n - 1} prefixes n big-endian bytes. */
    static final int ID_SINGLE_BYTE_LIMIT = 0xF8;

    private Markers() {
    }

    /** The type of an ASC marker, or {@code null} when no value starts with it. */
    static KeyType typeOf(int ascMarker) {
        if (ascMarker >= INT_MIN && ascMarker <= INT_MAX) {
            return KeyType.INT;
        }
        return switch (ascMarker) {
            case BOOL_FALSE, BOOL_TRUE -> KeyType.BOOLEAN;
            case FLOAT -> KeyType.FLOAT;
            case DECIMAL_NEGATIVE, DECIMAL_ZERO, DECIMAL_POSITIVE -> KeyType.DECIMAL;
            case STRING -> KeyType.STRING;
            case BYTES -> KeyType.BYTES;
            case DATE -> KeyType.DATE;
            case TIMESTAMP -> KeyType.TIMESTAMP;
            case NULL -> KeyType.NULL;
            default -> null;
        };
    }

    /** The direction a raw (as stored) marker byte was written in. */
    static Direction directionOf(int rawMarker) {
        return rawMarker <= NULL ? Direction.ASC : Direction.DESC;
    }

    static String hex(int b) {
        return String.format("0x%02X", b & 0xFF);
    }
}
