package dev.meridian.storage.encoding;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.function.Consumer;

import static dev.meridian.storage.encoding.Direction.ASC;
import static dev.meridian.storage.encoding.Direction.DESC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every way a key can be malformed gets a clear {@link KeyDecodingException}; bad writes are refused. */
class KeyDecodingErrorsTest {

    private static KeyReader reader(String hex) {
        return new KeyReader(HexFormat.ofDelimiter(" ").parseHex(hex));
    }

    private static void assertDecodingFails(String hex, Consumer<KeyReader> read, String message, int position) {
        assertThatThrownBy(() -> read.accept(reader(hex)))
                .isInstanceOf(KeyDecodingException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((KeyDecodingException) e).position()).isEqualTo(position));
    }

    @Test
    void truncatedValues() {
        assertDecodingFails("29", r -> r.readLong(ASC), "truncated key", 1);
        assertDecodingFails("60 61", r -> r.readString(ASC), "truncated key", 2);
        assertDecodingFails("60 61 00", r -> r.readString(ASC), "truncated key", 3);
        assertDecodingFails("61", r -> r.readBytes(ASC), "truncated key", 1);
        assertDecodingFails("38 80 00", r -> r.readDouble(ASC), "truncated key: 8 bytes expected, 2 left", 1);
        assertDecodingFails("52 29", r -> r.readDecimal(ASC), "truncated key", 2);
        assertDecodingFails("52 29 01 10", r -> r.readDecimal(ASC), "truncated key", 4);
        assertDecodingFails("70", r -> r.readDateDays(ASC), "truncated key", 1);
        assertDecodingFails("F9 01", r -> r.readUnsignedId(), "truncated key", 1);
        assertDecodingFails("", r -> r.readUnsignedId(), "truncated key", 0);
        assertDecodingFails("", r -> r.readLong(ASC), "no value: end of key", 0);
        assertDecodingFails("", KeyReader::peekType, "no value: end of key", 0);
    }

    @Test
    void theReaderStopsAtItsLimitEvenWhenTheArrayGoesOn() {
        byte[] key = new KeyWriter().writeLong(300, ASC).toByteArray();
        KeyReader limited = new KeyReader(key, 0, key.length - 1);
        assertThatThrownBy(() -> limited.readLong(ASC)).isInstanceOf(KeyDecodingException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> new KeyReader(key, 2, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new KeyReader(key, 0, key.length + 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void markersThatStartNoValue() {
        for (String marker : new String[] {"00", "0F", "12", "7D", "7F", "80", "F0", "FF"}) {
            assertDecodingFails(marker, KeyReader::peekType, "no value starts with marker 0x" + marker, 0);
        }
        assertDecodingFails("7F", r -> r.readLong(ASC), "expected INT ASC but found marker 0x7F (no such marker)", 0);
    }

    @Test
    void wrongTypeDirectionOrUnexpectedNull() {
        assertDecodingFails("60 00 01", r -> r.readLong(ASC), "expected INT ASC but found marker 0x60 (STRING ASC)", 0);
        assertDecodingFails("29 01", r -> r.readLong(DESC), "expected INT DESC but found marker 0x29", 0);
        assertDecodingFails("D6 FE", r -> r.readLong(ASC), "(INT DESC)", 0);
        assertDecodingFails("7E", r -> r.readBoolean(ASC), "expected BOOLEAN ASC but found marker 0x7E (NULL ASC)", 0);
        assertDecodingFails("81", r -> r.readNull(ASC), "(NULL DESC)", 0);
        assertDecodingFails("28", r -> r.readDateDays(ASC), "expected DATE ASC", 0);
        assertDecodingFails("70 28", r -> r.readTimestampMicros(ASC), "expected TIMESTAMP ASC", 0);
        assertDecodingFails("51", r -> r.readDouble(ASC), "expected FLOAT ASC", 0);
    }

    @Test
    void badEscapesAndInvalidUtf8() {
        assertDecodingFails("60 61 00 02", r -> r.readString(ASC), "bad escape 0x00 0x02", 2);
        assertDecodingFails("61 00 00 00 01", r -> r.readBytes(ASC), "bad escape 0x00 0x00", 1);
        assertDecodingFails("9F 9E FF FF", r -> r.readString(DESC), "bad escape 0x00 0x00", 2);
        assertDecodingFails("60 FF 00 01", r -> r.readString(ASC), "not valid UTF-8", 1);
        // An overlong encoding of U+0000 and an encoded surrogate are not UTF-8 either.
        assertDecodingFails("60 C0 80 00 01", r -> r.readString(ASC), "not valid UTF-8", 1);
        assertDecodingFails("60 ED A0 80 00 01", r -> r.readString(ASC), "not valid UTF-8", 1);
    }

    @Test
    void nonCanonicalIntegers() {
        assertDecodingFails("29 00", r -> r.readLong(ASC), "non-canonical integer", 0);
        assertDecodingFails("26 FF", r -> r.readLong(ASC), "non-canonical integer", 0);
        assertDecodingFails("30 80 00 00 00 00 00 00 00", r -> r.readLong(ASC), "sign disagrees", 0);
        assertDecodingFails("1F 7F FF FF FF FF FF FF FF", r -> r.readLong(ASC), "sign disagrees", 0);
        assertDecodingFails("70 40", r -> r.readDateDays(ASC), "bad integer length marker 0x40", 1);
    }

    @Test
    void nonCanonicalDoubles() {
        // -0.0 and a NaN with a payload must have been normalized by the writer.
        assertDecodingFails("38 7F FF FF FF FF FF FF FF", r -> r.readDouble(ASC), "non-canonical double", 1);
        assertDecodingFails("38 00 0F FF FF FF FF FF FE", r -> r.readDouble(ASC), "non-canonical double", 1);
    }

    @Test
    void malformedDecimals() {
        assertDecodingFails("52 29 01 65 00", r -> r.readDecimal(ASC), "bad decimal digit byte 0x65", 3);
        assertDecodingFails("52 29 01 00", r -> r.readDecimal(ASC), "non-canonical decimal digits", 1);
        assertDecodingFails("52 29 01 02 00", r -> r.readDecimal(ASC), "non-canonical decimal digits 01", 1);
        assertDecodingFails("52 29 01 0B 01 00", r -> r.readDecimal(ASC), "non-canonical decimal digits 1000", 1);
        assertDecodingFails("52 23 80 00 00 00 0B 00", r -> r.readDecimal(ASC), "exponent -2147483648 out of range", 1);
        assertDecodingFails("52 40", r -> r.readDecimal(ASC), "bad integer length marker", 1);
    }

    @Test
    void malformedUnsignedIdsAndDates() {
        assertDecodingFails("F8 05", KeyReader::readUnsignedId, "non-canonical or negative unsigned id", 0);
        assertDecodingFails("F9 00 FF", KeyReader::readUnsignedId, "non-canonical", 0);
        assertDecodingFails("FF 80 00 00 00 00 00 00 00", KeyReader::readUnsignedId, "negative", 0);
        assertDecodingFails("70 30 7F FF FF FF FF FF FF FF", r -> r.readDate(ASC), "date out of range", 0);
    }

    @Test
    void writesThatCannotBeEncodedAreRefused() {
        KeyWriter w = new KeyWriter();
        assertThatThrownBy(() -> w.writeString("a\uD800", ASC)).hasMessageContaining("unpaired surrogate at index 1");
        assertThatThrownBy(() -> w.writeString("\uDC00a", ASC)).hasMessageContaining("unpaired surrogate at index 0");
        assertThatThrownBy(() -> w.writeString("\uD800a", ASC)).hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> w.writeUnsignedId(-1)).hasMessageContaining("non-negative");
        assertThatThrownBy(() -> w.writeTimestamp(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1), ASC))
                .hasMessageContaining("sub-microsecond");
        assertThatThrownBy(() -> w.writeTimestamp(LocalDateTime.of(400_000, 1, 1, 0, 0), ASC))
                .isInstanceOf(ArithmeticException.class);
        // 10 x 10^(2^31): without trailing zeros its scale is below Integer.MIN_VALUE.
        assertThatThrownBy(() -> w.writeDecimal(new BigDecimal(BigInteger.TEN, Integer.MIN_VALUE), ASC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of key-encodable range");
        assertThatThrownBy(() -> new KeyColumn(KeyType.NULL, ASC)).hasMessageContaining("not a column type");
        assertThatThrownBy(() -> w.writeValue(KeyColumn.asc(KeyType.INT), 1.5))
                .hasMessageContaining("INT column cannot hold a java.lang.Double");
        assertThatThrownBy(() -> w.writeValue(KeyColumn.asc(KeyType.DATE), "2024-01-31"))
                .hasMessageContaining("DATE column cannot hold a java.lang.String");
        assertThat(w.length()).as("refused writes leave nothing behind").isZero();
    }
}
