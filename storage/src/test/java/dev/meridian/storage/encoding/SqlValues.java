package dev.meridian.storage.encoding;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * Test oracle: generators of SQL values per key type (edge values included) and the SQL
 * comparison the encoding must reproduce, written independently of the encoding.
 */
final class SqlValues {

    private SqlValues() {
    }

    static Arbitrary<Object> nullable(KeyType type) {
        return values(type).injectNull(0.1);
    }

    static Arbitrary<Object> values(KeyType type) {
        return switch (type) {
            case BOOLEAN -> Arbitraries.of(true, false).map(b -> (Object) b);
            case INT -> longs().map(v -> (Object) v);
            case FLOAT -> doubles().map(v -> (Object) v);
            case DECIMAL -> decimals().map(v -> (Object) v);
            case STRING -> strings().map(v -> (Object) v);
            case BYTES -> bytes().map(v -> (Object) v);
            case DATE -> dates().map(v -> (Object) v);
            case TIMESTAMP -> timestamps().map(v -> (Object) v);
            case NULL -> throw new IllegalArgumentException("NULL is not a column type");
        };
    }

    static Arbitrary<Long> longs() {
        Arbitrary<Long> edges = Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE,
                Long.MAX_VALUE - 1, 0L, -1L, 1L, 255L, 256L, -256L, -257L, 65535L, 65536L,
                (long) Integer.MIN_VALUE, (long) Integer.MAX_VALUE);
        // Values next to byte-length boundaries, where the length marker changes.
        Arbitrary<Long> boundaries = Combinators.combine(
                        Arbitraries.integers().between(0, 63), Arbitraries.of(-1L, 0L, 1L),
                        Arbitraries.of(1L, -1L))
                .as((bit, delta, sign) -> sign * (1L << bit) + delta);
        return Arbitraries.oneOf(edges, boundaries, Arbitraries.longs(), Arbitraries.longs().between(-300, 300));
    }

    static Arbitrary<Long> nonNegativeLongs() {
        return longs().map(v -> v == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(v));
    }

    static Arbitrary<Double> doubles() {
        Arbitrary<Double> edges = Arbitraries.of(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE,
                -Double.MAX_VALUE, Double.MIN_NORMAL, -Double.MIN_NORMAL, 1.0, -1.0, 0.5, -0.5);
        // Every bit pattern, including NaNs with payloads and subnormals.
        Arbitrary<Double> anyBits = Arbitraries.longs().map(Double::longBitsToDouble);
        Arbitrary<Double> small = Arbitraries.integers().between(-8, 8).map(i -> i / 4.0);
        return Arbitraries.oneOf(edges, anyBits, small, Arbitraries.doubles());
    }

    static Arbitrary<BigDecimal> decimals() {
        Arbitrary<BigDecimal> edges = Arbitraries.of(BigDecimal.ZERO, new BigDecimal("0.000"),
                new BigDecimal("-0E+5"), BigDecimal.ONE, new BigDecimal("1.00"), new BigDecimal("-1.0"),
                new BigDecimal("1E+2147483647"), new BigDecimal("-1E+2147483647"),
                new BigDecimal("1E-2147483647"), new BigDecimal("9.999E-2147483644"),
                new BigDecimal(BigInteger.TEN.pow(300).subtract(BigInteger.ONE), 150));
        // A small domain so that equal values with different scales and shared digit prefixes meet.
        Arbitrary<BigDecimal> near = Combinators.combine(Arbitraries.integers().between(-1200, 1200),
                        Arbitraries.integers().between(-3, 4))
                .as((unscaled, scale) -> BigDecimal.valueOf(unscaled, scale));
        Arbitrary<BigInteger> manyDigits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(60)
                .map(BigInteger::new);
        Arbitrary<Integer> scales = Arbitraries.oneOf(Arbitraries.integers().between(-40, 40),
                Arbitraries.integers(), Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE));
        Arbitrary<BigDecimal> wide = Combinators.combine(manyDigits, Arbitraries.of(1, -1), scales,
                        Arbitraries.integers().between(0, 5))
                .as((digits, sign, scale, zeros) -> new BigDecimal(
                        digits.multiply(BigInteger.TEN.pow(zeros)).multiply(BigInteger.valueOf(sign)), scale));
        return Arbitraries.oneOf(edges, near, wide).filter(SqlValues::keyEncodable);
    }

    /** The writer refuses values whose scale without trailing zeros leaves the int range. */
    static boolean keyEncodable(BigDecimal value) {
        if (value.signum() == 0) {
            return true;
        }
        BigInteger unscaled = value.unscaledValue();
        long zeros = 0;
        while (unscaled.mod(BigInteger.TEN).signum() == 0) {
            unscaled = unscaled.divide(BigInteger.TEN);
            zeros++;
        }
        long scale = value.scale() - zeros;
        return scale >= Integer.MIN_VALUE && scale <= Integer.MAX_VALUE;
    }

    static Arbitrary<String> strings() {
        Arbitrary<String> edges = Arbitraries.of("", "\u0000", "\u0000\u0000", "a\u0000", "a",
                "\u007F", "\u0080", "\u07FF", "\u0800", "\uFFFF", "\uE000", "\uD800\uDC00",
                "\uD83D\uDE00", "\uDBFF\uDFFF");
        // A tiny alphabet makes prefixes, embedded zeros and equal strings common.
        Arbitrary<String> tiny = Arbitraries.strings().withChars('\u0000', 'a', 'b', '\u00FF')
                .ofMaxLength(5);
        Arbitrary<String> anyCodePoints = Arbitraries.oneOf(
                        Arbitraries.integers().between(0, 0x10FFFF),
                        Arbitraries.integers().between(0xD000, 0x1_0010))
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .list().ofMaxSize(6)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
        return Arbitraries.oneOf(edges, tiny, anyCodePoints);
    }

    static Arbitrary<byte[]> bytes() {
        Arbitrary<byte[]> runs = Arbitraries.of((byte) 0, (byte) 0xFF, (byte) 1, (byte) 0xFE)
                .array(byte[].class).ofMaxSize(8);
        return Arbitraries.oneOf(runs, Arbitraries.bytes().array(byte[].class).ofMaxSize(12));
    }

    static Arbitrary<LocalDate> dates() {
        long min = LocalDate.MIN.toEpochDay();
        long max = LocalDate.MAX.toEpochDay();
        return Arbitraries.oneOf(Arbitraries.of(min, max, 0L, -1L, 1L, -719_528L),
                        Arbitraries.longs().between(min, max), Arbitraries.longs().between(-40_000, 40_000))
                .map(LocalDate::ofEpochDay);
    }

    static Arbitrary<LocalDateTime> timestamps() {
        return Arbitraries.oneOf(Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1L, -1_000_000L),
                        Arbitraries.longs(), Arbitraries.longs().between(-5_000_000, 5_000_000))
                .map(SqlValues::timestampOfMicros);
    }

    static LocalDateTime timestampOfMicros(long micros) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
    }

    /** SQL order of one column ascending, NULL last (PostgreSQL). */
    static int compare(KeyType type, Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        return switch (type) {
            case BOOLEAN -> Boolean.compare((Boolean) a, (Boolean) b);
            case INT -> Long.compare((Long) a, (Long) b);
            case FLOAT -> compareDoubles((Double) a, (Double) b);
            case DECIMAL -> ((BigDecimal) a).compareTo((BigDecimal) b);
            case STRING -> compareCodePoints((String) a, (String) b);
            case BYTES -> Arrays.compareUnsigned((byte[]) a, (byte[]) b);
            case DATE -> ((LocalDate) a).compareTo((LocalDate) b);
            case TIMESTAMP -> ((LocalDateTime) a).compareTo((LocalDateTime) b);
            case NULL -> throw new IllegalArgumentException();
        };
    }

    /** Lexicographic tuple order, each column in its direction. */
    static int compareTuples(List<KeyColumn> columns, List<Object> a, List<Object> b) {
        for (int i = 0; i < columns.size(); i++) {
            KeyColumn column = columns.get(i);
            int c = compare(column.type(), a.get(i), b.get(i));
            if (c != 0) {
                return column.direction() == Direction.ASC ? c : -c;
            }
        }
        return 0;
    }

    /** PostgreSQL: -0 equals 0, NaN equals NaN and is above every other value. */
    static int compareDoubles(double a, double b) {
        if (a == b) {
            return 0;
        }
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) ? (Double.isNaN(b) ? 0 : 1) : -1;
        }
        return a < b ? -1 : 1;
    }

    /** Arrays.compare on int[] is signed, which is right for code points (all non-negative). */
    static int compareCodePoints(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        return Arrays.compare(x, y);
    }

    /** Whether a decoded value is the value written, up to the documented normalizations. */
    static boolean sameValue(KeyType type, Object expected, Object actual) {
        if (expected == null || actual == null) {
            return expected == actual;
        }
        if (type == KeyType.FLOAT) {
            // -0.0 reads back as 0.0 and any NaN as the canonical NaN: compare the bits exactly.
            double normalized = (Double) expected == 0.0 ? 0.0 : (Double) expected;
            return Double.doubleToLongBits(normalized) == Double.doubleToRawLongBits((Double) actual);
        }
        return compare(type, expected, actual) == 0 && actual.getClass() == expected.getClass();
    }
}
