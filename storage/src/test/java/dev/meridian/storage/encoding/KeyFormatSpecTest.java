package dev.meridian.storage.encoding;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.function.Consumer;

import static dev.meridian.storage.encoding.Direction.ASC;
import static dev.meridian.storage.encoding.Direction.DESC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the on-disk bytes documented in {@code package-info.java}. HAZARD: if one of these fails,
 * the format changed and every stored key would sort wrongly; fix the code, not the test.
 */
class KeyFormatSpecTest {

    private static String hex(Consumer<KeyWriter> write) {
        KeyWriter writer = new KeyWriter();
        write.accept(writer);
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(writer.toByteArray());
    }

    @Test
    void nullAndBooleanMarkers() {
        assertThat(hex(w -> w.writeNull(ASC))).isEqualTo("7E");
        assertThat(hex(w -> w.writeNull(DESC))).isEqualTo("81");
        assertThat(hex(w -> w.writeBoolean(false, ASC))).isEqualTo("10");
        assertThat(hex(w -> w.writeBoolean(true, ASC))).isEqualTo("11");
        assertThat(hex(w -> w.writeBoolean(true, DESC))).isEqualTo("EE");
    }

    @Test
    void integersUseALengthMarkerAndMinimalBigEndianBytes() {
        assertThat(hex(w -> w.writeLong(0, ASC))).isEqualTo("28");
        assertThat(hex(w -> w.writeLong(1, ASC))).isEqualTo("29 01");
        assertThat(hex(w -> w.writeLong(255, ASC))).isEqualTo("29 FF");
        assertThat(hex(w -> w.writeLong(256, ASC))).isEqualTo("2A 01 00");
        assertThat(hex(w -> w.writeLong(-1, ASC))).isEqualTo("27");
        assertThat(hex(w -> w.writeLong(-2, ASC))).isEqualTo("26 FE");
        assertThat(hex(w -> w.writeLong(-256, ASC))).isEqualTo("26 00");
        assertThat(hex(w -> w.writeLong(-257, ASC))).isEqualTo("25 FE FF");
        assertThat(hex(w -> w.writeLong(Long.MAX_VALUE, ASC))).isEqualTo("30 7F FF FF FF FF FF FF FF");
        assertThat(hex(w -> w.writeLong(Long.MIN_VALUE, ASC))).isEqualTo("1F 80 00 00 00 00 00 00 00");
        assertThat(hex(w -> w.writeLong(1, DESC))).isEqualTo("D6 FE");
    }

    @Test
    void doublesAreSignAdjustedIeeeBits() {
        assertThat(hex(w -> w.writeDouble(1.0, ASC))).isEqualTo("38 BF F0 00 00 00 00 00 00");
        assertThat(hex(w -> w.writeDouble(-1.0, ASC))).isEqualTo("38 40 0F FF FF FF FF FF FF");
        assertThat(hex(w -> w.writeDouble(0.0, ASC))).isEqualTo("38 80 00 00 00 00 00 00 00");
        assertThat(hex(w -> w.writeDouble(-0.0, ASC))).isEqualTo("38 80 00 00 00 00 00 00 00");
        assertThat(hex(w -> w.writeDouble(Double.POSITIVE_INFINITY, ASC))).isEqualTo("38 FF F0 00 00 00 00 00 00");
        assertThat(hex(w -> w.writeDouble(Double.NaN, ASC))).isEqualTo("38 FF F8 00 00 00 00 00 00");
        // A NaN with a payload is the same SQL value: one canonical key.
        double otherNaN = Double.longBitsToDouble(0xFFF0_0000_0000_0001L);
        assertThat(hex(w -> w.writeDouble(otherNaN, ASC))).isEqualTo("38 FF F8 00 00 00 00 00 00");
    }

    @Test
    void decimalsAreExponentThenDigitPairs() {
        assertThat(hex(w -> w.writeDecimal(new BigDecimal("1.5"), ASC))).isEqualTo("52 29 01 10 00");
        assertThat(hex(w -> w.writeDecimal(new BigDecimal("-1.5"), ASC))).isEqualTo("50 D6 FE EF FF");
        assertThat(hex(w -> w.writeDecimal(BigDecimal.ZERO, ASC))).isEqualTo("51");
        assertThat(hex(w -> w.writeDecimal(new BigDecimal("-0.000"), ASC))).isEqualTo("51");
        // 0.05 = 0.5 x 10^-1: exponent -1, one digit padded to the pair "50".
        assertThat(hex(w -> w.writeDecimal(new BigDecimal("0.05"), ASC))).isEqualTo("52 27 33 00");
        assertThat(hex(w -> w.writeDecimal(new BigDecimal("1.5"), DESC))).isEqualTo("AD D6 FE EF FF");
    }

    @Test
    void decimalsEqualInValueHaveOneKey() {
        String one = hex(w -> w.writeDecimal(BigDecimal.ONE, ASC));
        assertThat(hex(w -> w.writeDecimal(new BigDecimal("1.0"), ASC))).isEqualTo(one);
        assertThat(hex(w -> w.writeDecimal(new BigDecimal("1.00"), ASC))).isEqualTo(one);
        assertThat(hex(w -> w.writeDecimal(new BigDecimal("0.1E1"), ASC))).isEqualTo(one);
        assertThat(hex(w -> w.writeDecimal(new BigDecimal("100"), ASC)))
                .isEqualTo(hex(w -> w.writeDecimal(new BigDecimal("1E+2"), ASC)));
    }

    @Test
    void stringsAndBytesAreEscapedAndTerminated() {
        assertThat(hex(w -> w.writeString("", ASC))).isEqualTo("60 00 01");
        assertThat(hex(w -> w.writeString("a", ASC))).isEqualTo("60 61 00 01");
        assertThat(hex(w -> w.writeString("a\u0000b", ASC))).isEqualTo("60 61 00 FF 62 00 01");
        assertThat(hex(w -> w.writeString("\u00E9\uD83D\uDE00", ASC))).isEqualTo("60 C3 A9 F0 9F 98 80 00 01");
        assertThat(hex(w -> w.writeString("a", DESC))).isEqualTo("9F 9E FF FE");
        assertThat(hex(w -> w.writeBytes(new byte[] {0}, ASC))).isEqualTo("61 00 FF 00 01");
        assertThat(hex(w -> w.writeBytes(new byte[] {(byte) 0xFF, 1}, ASC))).isEqualTo("61 FF 01 00 01");
    }

    @Test
    void datesAndTimestampsAreMarkedSignedIntegers() {
        assertThat(hex(w -> w.writeDate(LocalDate.of(1970, 1, 2), ASC))).isEqualTo("70 29 01");
        assertThat(hex(w -> w.writeDate(LocalDate.of(1969, 12, 31), ASC))).isEqualTo("70 27");
        assertThat(hex(w -> w.writeDateDays(19_753, ASC))).isEqualTo("70 2A 4D 29");
        assertThat(hex(w -> w.writeTimestampMicros(1_000_000, ASC))).isEqualTo("71 2B 0F 42 40");
        assertThat(hex(w -> w.writeTimestamp(LocalDateTime.of(1970, 1, 1, 0, 0, 1), ASC)))
                .isEqualTo("71 2B 0F 42 40");
        assertThat(hex(w -> w.writeTimestampMicros(-1, DESC))).isEqualTo("8E D8");
    }

    @Test
    void unsignedIdsTakeOneByteBelowF8() {
        assertThat(hex(w -> w.writeUnsignedId(0))).isEqualTo("00");
        assertThat(hex(w -> w.writeUnsignedId(52))).isEqualTo("34");
        assertThat(hex(w -> w.writeUnsignedId(0xF7))).isEqualTo("F7");
        assertThat(hex(w -> w.writeUnsignedId(0xF8))).isEqualTo("F8 F8");
        assertThat(hex(w -> w.writeUnsignedId(256))).isEqualTo("F9 01 00");
        assertThat(hex(w -> w.writeUnsignedId(Long.MAX_VALUE))).isEqualTo("FF 7F FF FF FF FF FF FF FF");
    }

    @Test
    void aTupleIsTheConcatenationOfItsColumns() {
        assertThat(hex(w -> w.writeUnsignedId(52).writeUnsignedId(1).writeLong(7, ASC)
                .writeNull(DESC).writeString("x", ASC)))
                .isEqualTo("34 01 29 07 81 60 78 00 01");
    }
}
