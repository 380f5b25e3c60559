package dev.meridian.storage.encoding;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static dev.meridian.storage.encoding.Direction.ASC;
import static dev.meridian.storage.encoding.Direction.DESC;
import static org.assertj.core.api.Assertions.assertThat;

/** The cursor's peeking and NULL handling, writer reuse, prefix scan bounds and the printer. */
class KeyReaderAndScanBoundsTest {

    private static byte[] bytes(String hex) {
        return HexFormat.ofDelimiter(" ").parseHex(hex);
    }

    @Test
    void peekSeesTypeAndDirectionWithoutConsuming() {
        byte[] key = new KeyWriter().writeNull(DESC).writeString("x", DESC).writeNull(ASC).toByteArray();
        KeyReader reader = new KeyReader(key);
        assertThat(reader.peekType()).isEqualTo(KeyType.NULL);
        assertThat(reader.peekDirection()).isEqualTo(DESC);
        assertThat(reader.peekNull(ASC)).as("a DESC NULL is not an ASC NULL").isFalse();
        assertThat(reader.skipNull(DESC)).isTrue();
        assertThat(reader.position()).isEqualTo(1);
        assertThat(reader.skipNull(DESC)).as("a string is not NULL").isFalse();
        assertThat(reader.position()).isEqualTo(1);
        assertThat(reader.peekType()).isEqualTo(KeyType.STRING);
        assertThat(reader.readString(DESC)).isEqualTo("x");
        assertThat(reader.readValue(KeyColumn.asc(KeyType.INT))).isNull();
        assertThat(reader.hasRemaining()).isFalse();
        assertThat(reader.peekNull(ASC)).as("nothing left").isFalse();
    }

    @Test
    void aResetWriterIsReusedWithoutOldBytes() {
        KeyWriter writer = new KeyWriter(1);
        writer.writeString("a long value that outgrows the first buffer", ASC);
        byte[] first = writer.toByteArray();
        writer.reset().writeLong(5, ASC);
        assertThat(writer.toByteArray()).isEqualTo(bytes("29 05"));
        assertThat(writer.reset().writeRaw(first).toByteArray()).isEqualTo(first);
    }

    @Test
    void typedReadsOfDatesTimestampsAndDecimals() {
        byte[] key = new KeyWriter().writeDate(LocalDate.of(1900, 2, 28), DESC)
                .writeTimestamp(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000), ASC)
                .writeDecimal(new BigDecimal("-12.3400"), ASC).toByteArray();
        KeyReader reader = new KeyReader(key);
        assertThat(reader.readDate(DESC)).isEqualTo(LocalDate.of(1900, 2, 28));
        assertThat(reader.readTimestampMicros(ASC)).isEqualTo(-1);
        BigDecimal decimal = reader.readDecimal(ASC);
        assertThat(decimal).isEqualTo(new BigDecimal("-12.34")); // equals: same scale, trailing zeros gone
        assertThat(reader.hasRemaining()).isFalse();
    }

    @Test
    void writeValueWidensSmallIntegersAndReals() {
        KeyColumn real = KeyColumn.asc(KeyType.FLOAT);
        assertThat(new KeyWriter().writeValue(real, 0.1f).toByteArray())
                .isEqualTo(new KeyWriter().writeDouble((double) 0.1f, ASC).toByteArray());
        KeyColumn smallint = KeyColumn.desc(KeyType.INT);
        assertThat(new KeyWriter().writeValue(smallint, (short) -3).toByteArray())
                .isEqualTo(new KeyWriter().writeLong(-3, DESC).toByteArray());
        assertThat(new KeyWriter().writeValue(smallint, 7).toByteArray())
                .isEqualTo(new KeyWriter().writeLong(7, DESC).toByteArray());
    }

    @Test
    void prefixEndIncrementsTheLastByteThatCanBeIncremented() {
        assertThat(KeyEncoding.prefixEnd(bytes("34 01"))).isEqualTo(bytes("34 02"));
        assertThat(KeyEncoding.prefixEnd(bytes("34 FF FF"))).isEqualTo(bytes("35"));
        assertThat(KeyEncoding.prefixEnd(bytes("34 FE FF"))).isEqualTo(bytes("34 FF"));
        assertThat(KeyEncoding.prefixEnd(bytes("FF FF"))).as("no upper bound").isNull();
        assertThat(KeyEncoding.prefixEnd(new byte[0])).as("no upper bound").isNull();
    }

    @Test
    void prefixEndBoundsExactlyTheKeysWithThePrefix() {
        byte[] prefix = new KeyWriter().writeUnsignedId(52).writeUnsignedId(0xFF).toByteArray();
        byte[] end = KeyEncoding.prefixEnd(prefix);
        List<byte[]> inside = List.of(prefix,
                new KeyWriter().writeRaw(prefix).writeNull(ASC).toByteArray(),
                new KeyWriter().writeRaw(prefix).writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF}, DESC)
                        .toByteArray(),
                new KeyWriter().writeRaw(prefix).writeRaw(bytes("FF FF FF FF")).toByteArray());
        for (byte[] key : inside) {
            assertThat(Arrays.compareUnsigned(key, end)).as(HexFormat.of().formatHex(key)).isNegative();
        }
        byte[] nextIndex = new KeyWriter().writeUnsignedId(52).writeUnsignedId(0x100).toByteArray();
        assertThat(Arrays.compareUnsigned(nextIndex, end)).isGreaterThanOrEqualTo(0);
        assertThat(Arrays.compareUnsigned(end, prefix)).isPositive();
    }

    @Test
    void printsIdsAndColumns() {
        byte[] key = new KeyWriter().writeUnsignedId(52).writeUnsignedId(1).writeLong(1, ASC)
                .writeString("a\"b\\c\u0000", DESC).writeNull(ASC).writeDate(LocalDate.of(2024, 1, 31), DESC)
                .writeBytes(new byte[] {0, (byte) 0xAB}, ASC).writeDouble(Double.NaN, ASC)
                .writeTimestampMicros(1_500_000, ASC).writeTimestampMicros(0, ASC)
                .writeDecimal(new BigDecimal("-1.50"), ASC).writeBoolean(true, DESC).toByteArray();
        List<KeyColumn> columns = List.of(KeyColumn.asc(KeyType.INT), KeyColumn.desc(KeyType.STRING),
                KeyColumn.asc(KeyType.INT), KeyColumn.desc(KeyType.DATE), KeyColumn.asc(KeyType.BYTES),
                KeyColumn.asc(KeyType.FLOAT), KeyColumn.asc(KeyType.TIMESTAMP), KeyColumn.asc(KeyType.TIMESTAMP),
                KeyColumn.asc(KeyType.DECIMAL), KeyColumn.desc(KeyType.BOOLEAN));
        assertThat(KeyEncoding.format(key, 2, columns)).isEqualTo(
                "/52/1/1/\"a\\\"b\\\\c\\x00\"/NULL/2024-01-31/x'00ab'/NaN"
                        + "/1970-01-01 00:00:01.500000/1970-01-01 00:00:00/-1.5/true");
    }

    @Test
    void printsBadAndExtraBytesInsteadOfThrowing() {
        byte[] extra = new KeyWriter().writeLong(7, ASC).writeRaw(bytes("AB")).toByteArray();
        assertThat(KeyEncoding.format(extra, 0, List.of(KeyColumn.asc(KeyType.INT)))).isEqualTo("/7/<extra 0xab>");
        byte[] wrongDirection = new KeyWriter().writeLong(7, ASC).toByteArray();
        assertThat(KeyEncoding.format(wrongDirection, 0, List.of(KeyColumn.desc(KeyType.INT))))
                .isEqualTo("/<undecodable 0x2907: expected INT DESC but found marker 0x29 (INT ASC) (at byte 0)>");
        byte[] truncated = Arrays.copyOf(new KeyWriter().writeUnsignedId(3).writeString("abc", ASC).toByteArray(), 4);
        assertThat(KeyEncoding.format(truncated, 1, List.of(KeyColumn.asc(KeyType.STRING))))
                .isEqualTo("/3/<undecodable 0x606162: truncated key (at byte 4)>");
    }
}
