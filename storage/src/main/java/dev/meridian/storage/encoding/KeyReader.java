package dev.meridian.storage.encoding;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A cursor over an encoded key: each read decodes one value at the current position and moves
 * past it, so a tuple is read column by column. Reads check the marker, the direction, escapes
 * and canonical form, and throw {@link KeyDecodingException} on anything else; they never read
 * beyond the limit. After such an exception the position is unspecified: the key is bad and
 * the reader should be dropped. Not thread-safe.
 */
public final class KeyReader {

    private final byte[] key;
    private final int limit;
    private int pos;

    public KeyReader(byte[] key) {
        this(key, 0, key.length);
    }

    /** Reads {@code key[offset, limit)}. */
    public KeyReader(byte[] key, int offset, int limit) {
        if (offset < 0 || offset > limit || limit > key.length) {
            throw new IndexOutOfBoundsException("bad range [" + offset + ", " + limit + ") of " + key.length);
        }
        this.key = key;
        this.pos = offset;
        this.limit = limit;
    }

    /** The offset of the next unread byte. */
    public int position() {
        return pos;
    }

    public boolean hasRemaining() {
        return pos < limit;
    }

    /** The type of the next value ({@link KeyType#NULL} for a NULL), without consuming it. */
    public KeyType peekType() {
        int raw = peekRawMarker();
        KeyType type = Markers.typeOf(raw ^ Markers.directionOf(raw).mask());
        if (type == null) {
            throw new KeyDecodingException("no value starts with marker " + Markers.hex(raw), pos);
        }
        return type;
    }

    /** The direction the next value was written in, without consuming it. */
    public Direction peekDirection() {
        peekType();
        return Markers.directionOf(peekRawMarker());
    }

    /** True when the next value is a NULL written in {@code direction}. */
    public boolean peekNull(Direction direction) {
        return pos < limit && ((key[pos] & 0xFF) ^ direction.mask()) == Markers.NULL;
    }

    /** Consumes a NULL of {@code direction} if one is next; returns whether it did. */
    public boolean skipNull(Direction direction) {
        if (peekNull(direction)) {
            pos++;
            return true;
        }
        return false;
    }

    public void readNull(Direction direction) {
        expectMarker(direction, KeyType.NULL);
    }

    public long readUnsignedId() {
        int start = pos;
        int first = nextByte(0);
        if (first < Markers.ID_SINGLE_BYTE_LIMIT) {
            return first;
        }
        int n = first - Markers.ID_SINGLE_BYTE_LIMIT + 1;
        long value = readBigEndian(n, 0);
        long minimum = n == 1 ? Markers.ID_SINGLE_BYTE_LIMIT : 1L << (Byte.SIZE * (n - 1));
        if (value < 0 || Long.compareUnsigned(value, minimum) < 0) {
            throw new KeyDecodingException("non-canonical or negative unsigned id", start);
        }
        return value;
    }

    public boolean readBoolean(Direction direction) {
        return expectMarker(direction, KeyType.BOOLEAN) == Markers.BOOL_TRUE;
    }

    public long readLong(Direction direction) {
        expectType(direction, KeyType.INT);
        return readSignedBody(direction.mask());
    }

    public double readDouble(Direction direction) {
        expectMarker(direction, KeyType.FLOAT);
        int start = pos;
        long ordered = readBigEndian(Long.BYTES, direction.mask());
        long bits = ordered < 0 ? ordered ^ Long.MIN_VALUE : ~ordered;
        double value = Double.longBitsToDouble(bits);
        boolean canonical = Double.isNaN(value)
                ? bits == Double.doubleToLongBits(Double.NaN)
                : bits != Double.doubleToRawLongBits(-0.0);
        if (!canonical) {
            throw new KeyDecodingException("non-canonical double bits " + Long.toHexString(bits), start);
        }
        return value;
    }

    /** Reads a decimal in its normalized form: no trailing zeros (100 reads back as 1E+2). */
    public BigDecimal readDecimal(Direction direction) {
        int marker = expectMarker(direction, KeyType.DECIMAL);
        return DecimalKeys.readBody(this, marker, direction.mask());
    }

    public String readString(Direction direction) {
        expectMarker(direction, KeyType.STRING);
        int start = pos;
        byte[] utf8 = readEscaped(direction.mask());
        if (isAscii(utf8)) {
            // The common case skips the validating decoder, which costs more than the key.
            return new String(utf8, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new KeyDecodingException("string is not valid UTF-8", start);
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    public byte[] readBytes(Direction direction) {
        expectMarker(direction, KeyType.BYTES);
        return readEscaped(direction.mask());
    }

    /** Reads a DATE as days since 1970-01-01. */
    public long readDateDays(Direction direction) {
        expectMarker(direction, KeyType.DATE);
        return readSignedBody(direction.mask());
    }

    public LocalDate readDate(Direction direction) {
        int start = pos;
        long days = readDateDays(direction);
        try {
            return LocalDate.ofEpochDay(days);
        } catch (DateTimeException e) {
            throw new KeyDecodingException("date out of range: " + days + " days", start);
        }
    }

    /** Reads a TIMESTAMP as microseconds since 1970-01-01T00:00. */
    public long readTimestampMicros(Direction direction) {
        expectMarker(direction, KeyType.TIMESTAMP);
        return readSignedBody(direction.mask());
    }

    public LocalDateTime readTimestamp(Direction direction) {
        long micros = readTimestampMicros(direction);
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
    }

    /**
     * Reads one value of the column's type, or {@code null} for a NULL. Types: Boolean, Long,
     * Double, BigDecimal, String, byte[], LocalDate, LocalDateTime.
     */
    public Object readValue(KeyColumn column) {
        Direction d = column.direction();
        if (skipNull(d)) {
            return null;
        }
        return switch (column.type()) {
            case BOOLEAN -> readBoolean(d);
            case INT -> readLong(d);
            case FLOAT -> readDouble(d);
            case DECIMAL -> readDecimal(d);
            case STRING -> readString(d);
            case BYTES -> readBytes(d);
            case DATE -> readDate(d);
            case TIMESTAMP -> readTimestamp(d);
            case NULL -> throw new IllegalArgumentException("NULL is not a column type");
        };
    }

    /** The signed body of INT, DATE, TIMESTAMP and decimal exponents; see {@link Markers}. */
    long readSignedBody(int mask) {
        int start = pos;
        int marker = nextByte(mask);
        if (marker < Markers.INT_MIN || marker > Markers.INT_MAX) {
            throw new KeyDecodingException("bad integer length marker " + Markers.hex(marker), start);
        }
        boolean negative = marker < Markers.INT_ZERO;
        int n = negative ? Markers.INT_ZERO - 1 - marker : marker - Markers.INT_ZERO;
        if (n == 0) {
            return negative ? -1 : 0;
        }
        int first = peekByte(mask);
        if (first == (negative ? 0xFF : 0x00)) {
            throw new KeyDecodingException("non-canonical integer (redundant leading byte)", start);
        }
        long value = readBigEndian(n, mask);
        if (negative && n < Long.BYTES) {
            value |= -1L << (Byte.SIZE * n);
        }
        if (negative != (value < 0)) {
            throw new KeyDecodingException("integer sign disagrees with its length marker", start);
        }
        return value;
    }

    int nextByte(int mask) {
        if (pos >= limit) {
            throw new KeyDecodingException("truncated key", pos);
        }
        return (key[pos++] & 0xFF) ^ mask;
    }

    private int peekByte(int mask) {
        if (pos >= limit) {
            throw new KeyDecodingException("truncated key", pos);
        }
        return (key[pos] & 0xFF) ^ mask;
    }

    private int peekRawMarker() {
        if (pos >= limit) {
            throw new KeyDecodingException("no value: end of key", pos);
        }
        return key[pos] & 0xFF;
    }

    private long readBigEndian(int n, int mask) {
        if (limit - pos < n) {
            throw new KeyDecodingException("truncated key: " + n + " bytes expected, "
                    + (limit - pos) + " left", pos);
        }
        long value = 0;
        for (int i = 0; i < n; i++) {
            value = (value << Byte.SIZE) | ((key[pos++] & 0xFF) ^ mask);
        }
        return value;
    }

    /** Checks that the next value is of {@code type} in {@code direction}; does not consume it. */
    private void expectType(Direction direction, KeyType type) {
        int raw = peekRawMarker();
        KeyType found = Markers.typeOf(raw ^ direction.mask());
        if (found != type || Markers.directionOf(raw) != direction) {
            throw new KeyDecodingException("expected " + type + " " + direction + " but found marker "
                    + Markers.hex(raw) + describe(raw), pos);
        }
    }

    private int expectMarker(Direction direction, KeyType type) {
        expectType(direction, type);
        return nextByte(direction.mask());
    }

    private static String describe(int raw) {
        Direction d = Markers.directionOf(raw);
        KeyType t = Markers.typeOf(raw ^ d.mask());
        return t == null ? " (no such marker)" : " (" + t + " " + d + ")";
    }

    /**
     * Unescapes up to the terminator {@code 0x00 0x01}; {@code 0x00 0xFF} is a zero byte. A first
     * pass validates and sizes the value so the second copies into an exact array.
     */
    private byte[] readEscaped(int mask) {
        int escapes = 0;
        int scan = pos;
        while (true) {
            if (scan >= limit) {
                throw new KeyDecodingException("truncated key", scan);
            }
            if (((key[scan] & 0xFF) ^ mask) != Markers.ESCAPE) {
                scan++;
                continue;
            }
            if (scan + 1 >= limit) {
                throw new KeyDecodingException("truncated key", scan + 1);
            }
            int escaped = (key[scan + 1] & 0xFF) ^ mask;
            if (escaped == Markers.TERMINATOR) {
                break;
            }
            if (escaped != Markers.ESCAPED_ZERO) {
                throw new KeyDecodingException("bad escape 0x00 " + Markers.hex(escaped), scan);
            }
            escapes++;
            scan += 2;
        }
        byte[] value = new byte[scan - pos - escapes];
        for (int out = 0; out < value.length; out++) {
            byte b = (byte) (key[pos] ^ mask);
            pos += b == 0 ? 2 : 1;
            value[out] = b;
        }
        pos = scan + 2;
        return value;
    }
}
