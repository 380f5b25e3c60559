package dev.meridian.storage.encoding;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Builds an order-preserving key by appending values to a growing buffer. Each value is
 * self-delimiting, so a tuple is the concatenation of its columns (format in
 * {@code package-info.java}). Not thread-safe; reuse one writer with {@link #reset()} on hot
 * paths to avoid allocating a buffer per key.
 */
public final class KeyWriter {

    private static final long MICROS_PER_SECOND = 1_000_000L;

    private byte[] buf;
    private int length;

    public KeyWriter() {
        this(32);
    }

    public KeyWriter(int initialCapacity) {
        buf = new byte[Math.max(initialCapacity, 8)];
    }

    /** Forgets everything written, keeping the buffer. */
    public KeyWriter reset() {
        length = 0;
        return this;
    }

    /** The number of bytes written so far. */
    public int length() {
        return length;
    }

    /** A copy of the bytes written so far. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, length);
    }

    /** Appends bytes as they are, e.g. a key prefix built earlier. */
    public KeyWriter writeRaw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, length, bytes.length);
        length += bytes.length;
        return this;
    }

    /**
     * Appends a non-negative id (table id, index id) in the compact ascending form: one byte
     * below 0xF8, else a length byte and the minimal big-endian bytes.
     */
    public KeyWriter writeUnsignedId(long id) {
        if (id < 0) {
            throw new IllegalArgumentException("id must be non-negative: " + id);
        }
        ensure(1 + Long.BYTES);
        if (id < Markers.ID_SINGLE_BYTE_LIMIT) {
            put(id, 0);
            return this;
        }
        int n = significantBytes(id);
        put(Markers.ID_SINGLE_BYTE_LIMIT + n - 1, 0);
        putBigEndian(id, n, 0);
        return this;
    }

    public KeyWriter writeNull(Direction direction) {
        ensure(1);
        put(Markers.NULL, direction.mask());
        return this;
    }

    public KeyWriter writeBoolean(boolean value, Direction direction) {
        ensure(1);
        put(value ? Markers.BOOL_TRUE : Markers.BOOL_FALSE, direction.mask());
        return this;
    }

    public KeyWriter writeLong(long value, Direction direction) {
        ensure(1 + Long.BYTES);
        putSigned(value, direction.mask());
        return this;
    }

    /** Appends a double; -0.0 is written as 0.0 and every NaN as the one canonical NaN. */
    public KeyWriter writeDouble(double value, Direction direction) {
        double normalized = value == 0.0 ? 0.0 : value;
        long bits = Double.doubleToLongBits(normalized);
        // Negative: flip all bits so larger magnitudes sort first; positive: set the sign bit.
        long ordered = bits ^ ((bits >> 63) | Long.MIN_VALUE);
        int mask = direction.mask();
        ensure(1 + Long.BYTES);
        put(Markers.FLOAT, mask);
        putBigEndian(ordered, Long.BYTES, mask);
        return this;
    }

    /**
     * Appends a decimal by numeric value: 1.0 and 1.00 give the same bytes.
     *
     * @throws IllegalArgumentException if the value without trailing zeros has a scale outside
     *                                  the int range (BigDecimal could not hold it either)
     */
    public KeyWriter writeDecimal(BigDecimal value, Direction direction) {
        DecimalKeys.write(this, value, direction.mask());
        return this;
    }

    /**
     * Appends a string as escaped UTF-8, so keys sort in code point order.
     *
     * @throws IllegalArgumentException if the string holds an unpaired surrogate, which UTF-8
     *                                  cannot represent
     */
    public KeyWriter writeString(String value, Direction direction) {
        int mask = direction.mask();
        int n = value.length();
        // Worst case 3 bytes per char (a surrogate pair: 4 bytes per 2 chars), plus framing.
        ensure(1 + 3 * n + 2);
        int start = length;
        put(Markers.STRING, mask);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == 0) {
                put(Markers.ESCAPE, mask);
                put(Markers.ESCAPED_ZERO, mask);
            } else if (c < 0x80) {
                put(c, mask);
            } else if (c < 0x800) {
                put(0xC0 | (c >> 6), mask);
                put(0x80 | (c & 0x3F), mask);
            } else if (!Character.isSurrogate(c)) {
                put(0xE0 | (c >> 12), mask);
                put(0x80 | ((c >> 6) & 0x3F), mask);
                put(0x80 | (c & 0x3F), mask);
            } else if (isSurrogatePair(value, i)) {
                putCodePoint(Character.toCodePoint(c, value.charAt(i + 1)), mask);
                i++;
            } else {
                length = start; // a refused value leaves no partial bytes behind
                throw new IllegalArgumentException("string has an unpaired surrogate at index " + i);
            }
        }
        put(Markers.ESCAPE, mask);
        put(Markers.TERMINATOR, mask);
        return this;
    }

    /** Appends bytes escaped so that 0x00 inside the value cannot end it. */
    public KeyWriter writeBytes(byte[] value, Direction direction) {
        int mask = direction.mask();
        ensure(1 + 2 * value.length + 2);
        put(Markers.BYTES, mask);
        for (byte b : value) {
            if (b == 0) {
                put(Markers.ESCAPE, mask);
                put(Markers.ESCAPED_ZERO, mask);
            } else {
                put(b, mask);
            }
        }
        put(Markers.ESCAPE, mask);
        put(Markers.TERMINATOR, mask);
        return this;
    }

    /** Appends a DATE given as days since 1970-01-01. */
    public KeyWriter writeDateDays(long epochDays, Direction direction) {
        return writeMarkedSigned(Markers.DATE, epochDays, direction);
    }

    public KeyWriter writeDate(LocalDate date, Direction direction) {
        return writeDateDays(date.toEpochDay(), direction);
    }

    /** Appends a TIMESTAMP (without time zone) given as microseconds since 1970-01-01T00:00. */
    public KeyWriter writeTimestampMicros(long epochMicros, Direction direction) {
        return writeMarkedSigned(Markers.TIMESTAMP, epochMicros, direction);
    }

    /**
     * Appends a TIMESTAMP; the value must be a whole number of microseconds, as PostgreSQL
     * stores, so that nothing is silently dropped.
     *
     * @throws ArithmeticException if the value is outside the long range of microseconds
     */
    public KeyWriter writeTimestamp(LocalDateTime timestamp, Direction direction) {
        int nanos = timestamp.getNano();
        if (nanos % 1000 != 0) {
            throw new IllegalArgumentException("timestamp has sub-microsecond precision: " + timestamp);
        }
        long seconds = timestamp.toEpochSecond(ZoneOffset.UTC);
        long micros = nanos / 1000;
        if (seconds < 0 && micros > 0) {
            // Near Long.MIN_VALUE micros, seconds * 1e6 alone would overflow; borrow a second.
            seconds++;
            micros -= MICROS_PER_SECOND;
        }
        long epochMicros = Math.addExact(Math.multiplyExact(seconds, MICROS_PER_SECOND), micros);
        return writeTimestampMicros(epochMicros, direction);
    }

    /**
     * Appends a value of the column's type, or NULL when {@code value} is {@code null}. Accepts
     * the Java types {@link KeyReader#readValue(KeyColumn)} returns, plus Integer, Short and Byte
     * for INT and Float (widened, as REAL is) for FLOAT.
     *
     * @throws IllegalArgumentException if the value's Java type does not fit the column; never
     *                                  converts lossily
     */
    public KeyWriter writeValue(KeyColumn column, Object value) {
        Direction d = column.direction();
        if (value == null) {
            return writeNull(d);
        }
        return switch (column.type()) {
            case BOOLEAN -> writeBoolean(as(Boolean.class, value, column), d);
            case INT -> writeLong(integral(value, column), d);
            case FLOAT -> writeDouble(floating(value, column), d);
            case DECIMAL -> writeDecimal(as(BigDecimal.class, value, column), d);
            case STRING -> writeString(as(String.class, value, column), d);
            case BYTES -> writeBytes(as(byte[].class, value, column), d);
            case DATE -> writeDate(as(LocalDate.class, value, column), d);
            case TIMESTAMP -> writeTimestamp(as(LocalDateTime.class, value, column), d);
            case NULL -> throw new IllegalArgumentException("NULL is not a column type");
        };
    }

    private static <T> T as(Class<T> type, Object value, KeyColumn column) {
        if (!type.isInstance(value)) {
            throw wrongType(value, column);
        }
        return type.cast(value);
    }

    private static long integral(Object value, KeyColumn column) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        throw wrongType(value, column);
    }

    private static double floating(Object value, KeyColumn column) {
        if (value instanceof Double || value instanceof Float) {
            return ((Number) value).doubleValue();
        }
        throw wrongType(value, column);
    }

    private static IllegalArgumentException wrongType(Object value, KeyColumn column) {
        return new IllegalArgumentException(column.type() + " column cannot hold a " + value.getClass().getName());
    }

    private KeyWriter writeMarkedSigned(int marker, long value, Direction direction) {
        int mask = direction.mask();
        ensure(2 + Long.BYTES);
        put(marker, mask);
        putSigned(value, mask);
        return this;
    }

    /**
     * The signed body: a length marker then the minimal big-endian bytes. For negatives the
     * marker counts the bytes of the complement, and the bytes are the value's own low bytes.
     */
    void putSigned(long value, int mask) {
        ensure(1 + Long.BYTES);
        if (value >= 0) {
            int n = significantBytes(value);
            put(Markers.INT_ZERO + n, mask);
            putBigEndian(value, n, mask);
        } else {
            int n = significantBytes(~value);
            put(Markers.INT_ZERO - 1 - n, mask);
            putBigEndian(value, n, mask);
        }
    }

    /** Appends one byte after making room; for callers that cannot size their output first. */
    void putChecked(int b, int mask) {
        ensure(1);
        put(b, mask);
    }

    private static boolean isSurrogatePair(String value, int i) {
        return Character.isHighSurrogate(value.charAt(i)) && i + 1 < value.length()
                && Character.isLowSurrogate(value.charAt(i + 1));
    }

    /** A supplementary code point: four UTF-8 bytes. */
    private void putCodePoint(int cp, int mask) {
        put(0xF0 | (cp >> 18), mask);
        put(0x80 | ((cp >> 12) & 0x3F), mask);
        put(0x80 | ((cp >> 6) & 0x3F), mask);
        put(0x80 | (cp & 0x3F), mask);
    }

    private static int significantBytes(long unsigned) {
        return (Long.SIZE - Long.numberOfLeadingZeros(unsigned) + 7) / Byte.SIZE;
    }

    private void putBigEndian(long value, int n, int mask) {
        for (int shift = (n - 1) * Byte.SIZE; shift >= 0; shift -= Byte.SIZE) {
            put(value >>> shift, mask);
        }
    }

    /** Callers reserve room with {@link #ensure(int)} first. */
    private void put(long b, int mask) {
        buf[length++] = (byte) (b ^ mask);
    }

    private void ensure(int extra) {
        int needed = length + extra;
        if (needed < 0) {
            throw new IllegalStateException("key too large");
        }
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
        }
    }
}
