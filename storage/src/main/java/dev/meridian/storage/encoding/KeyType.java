package dev.meridian.storage.encoding;

/**
 * The kinds of value a key column can hold. SMALLINT, INT and BIGINT are all {@link #INT};
 * REAL widens to {@link #FLOAT}. {@link #NULL} is what {@link KeyReader#peekType()} reports for
 * a NULL of any column type.
 */
public enum KeyType {
    NULL,
    BOOLEAN,
    /** A 64-bit signed integer. */
    INT,
    /** An IEEE 754 double; -0.0 is stored as 0.0 and NaN sorts above +Infinity. */
    FLOAT,
    /** An arbitrary-precision {@link java.math.BigDecimal}; scale is not stored. */
    DECIMAL,
    /** A string in code point ("C" collation) order. */
    STRING,
    BYTES,
    /** Days since 1970-01-01. */
    DATE,
    /** Microseconds since 1970-01-01T00:00, without time zone. */
    TIMESTAMP
}
