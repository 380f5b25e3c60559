package dev.meridian.storage.encoding;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The encoding's contract on random values: round trip, byte order equals SQL order in both
 * directions with NULLs, tuples, and reads that stop exactly at the end of a value.
 */
class KeyOrderProperties {

    /** A column and several values for it (NULLs included). */
    record ColumnValues(KeyColumn column, List<Object> values) {
    }

    /** Tuples of 2-4 mixed columns; the second row shares a random subset of the first's values. */
    record TuplePair(List<KeyColumn> columns, List<Object> a, List<Object> b) {
    }

    @Provide
    Arbitrary<KeyColumn> columns() {
        return Combinators.combine(Arbitraries.of(KeyType.class).filter(t -> t != KeyType.NULL),
                Arbitraries.of(Direction.class)).as(KeyColumn::new);
    }

    @Provide
    Arbitrary<ColumnValues> columnValues() {
        // Edge cases of generators built inside flatMap are recomputed on every try, which is
        // slow; the edge values are already part of each type's generator (SqlValues).
        return columns().flatMap(column -> SqlValues.nullable(column.type()).list().ofMinSize(2).ofMaxSize(8)
                .map(values -> new ColumnValues(column, values)).withoutEdgeCases());
    }

    @Provide
    Arbitrary<TuplePair> tuplePairs() {
        return columns().list().ofMinSize(2).ofMaxSize(4).flatMap(cols -> {
            Arbitrary<List<Object>> row = row(cols);
            Arbitrary<List<Boolean>> shared = Arbitraries.of(true, false).list().ofSize(cols.size());
            return Combinators.combine(row, row, shared).as((a, b, same) -> {
                List<Object> mixed = new ArrayList<>(b);
                for (int i = 0; i < cols.size(); i++) {
                    if (same.get(i)) {
                        mixed.set(i, a.get(i));
                    }
                }
                return new TuplePair(cols, a, mixed);
            }).withoutEdgeCases();
        });
    }

    private static Arbitrary<List<Object>> row(List<KeyColumn> cols) {
        List<Arbitrary<Object>> parts = new ArrayList<>();
        for (KeyColumn column : cols) {
            parts.add(SqlValues.nullable(column.type()));
        }
        return Combinators.combine(parts).as(ArrayList::new);
    }

    @Property(tries = 2000)
    void byteOrderIsSqlOrder(@ForAll("columnValues") ColumnValues cv) {
        KeyColumn column = cv.column();
        List<byte[]> encoded = cv.values().stream().map(v -> encode(column, v)).toList();
        for (int i = 0; i < encoded.size(); i++) {
            for (int j = 0; j < encoded.size(); j++) {
                int sql = SqlValues.compare(column.type(), cv.values().get(i), cv.values().get(j));
                int expected = column.direction() == Direction.ASC ? sql : -sql;
                assertThat(Integer.signum(Arrays.compareUnsigned(encoded.get(i), encoded.get(j))))
                        .as("%s: %s vs %s", column, show(cv.values().get(i)), show(cv.values().get(j)))
                        .isEqualTo(Integer.signum(expected));
            }
        }
    }

    @Property(tries = 2000)
    void roundTrip(@ForAll("columnValues") ColumnValues cv, @ForAll byte[] trailing) {
        KeyColumn column = cv.column();
        for (Object value : cv.values()) {
            byte[] encoded = encode(column, value);
            byte[] withSuffix = Arrays.copyOf(encoded, encoded.length + trailing.length);
            System.arraycopy(trailing, 0, withSuffix, encoded.length, trailing.length);
            KeyReader reader = new KeyReader(withSuffix);
            assertThat(reader.peekType()).isEqualTo(value == null ? KeyType.NULL : column.type());
            assertThat(reader.peekDirection()).isEqualTo(column.direction());
            Object decoded = reader.readValue(column);
            assertThat(SqlValues.sameValue(column.type(), value, decoded))
                    .as("%s: wrote %s, read %s", column, show(value), show(decoded)).isTrue();
            assertThat(reader.position()).as("read exactly the value").isEqualTo(encoded.length);
        }
    }

    @Property(tries = 2000)
    void tupleByteOrderIsLexicographicSqlOrder(@ForAll("tuplePairs") TuplePair pair) {
        byte[] a = encodeRow(pair.columns(), pair.a());
        byte[] b = encodeRow(pair.columns(), pair.b());
        int expected = SqlValues.compareTuples(pair.columns(), pair.a(), pair.b());
        assertThat(Integer.signum(Arrays.compareUnsigned(a, b)))
                .as("%s: %s vs %s", pair.columns(), showRow(pair.a()), showRow(pair.b()))
                .isEqualTo(Integer.signum(expected));
    }

    @Property(tries = 1000)
    void tuplesDecodeColumnByColumnToTheExactEnd(@ForAll("tuplePairs") TuplePair pair) {
        byte[] key = encodeRow(pair.columns(), pair.a());
        KeyReader reader = new KeyReader(key);
        for (int i = 0; i < pair.columns().size(); i++) {
            KeyColumn column = pair.columns().get(i);
            Object decoded = reader.readValue(column);
            assertThat(SqlValues.sameValue(column.type(), pair.a().get(i), decoded))
                    .as("column %d %s: wrote %s, read %s", i, column, show(pair.a().get(i)), show(decoded))
                    .isTrue();
        }
        assertThat(reader.hasRemaining()).isFalse();
        assertThat(reader.position()).isEqualTo(key.length);
    }

    @Property(tries = 2000)
    void unsignedIdsRoundTripInOrder(@ForAll("ids") long a, @ForAll("ids") long b) {
        byte[] x = new KeyWriter().writeUnsignedId(a).toByteArray();
        byte[] y = new KeyWriter().writeUnsignedId(b).toByteArray();
        assertThat(Integer.signum(Arrays.compareUnsigned(x, y))).isEqualTo(Long.signum(Long.compare(a, b)));
        KeyReader reader = new KeyReader(x);
        assertThat(reader.readUnsignedId()).isEqualTo(a);
        assertThat(reader.hasRemaining()).isFalse();
        assertThat(x.length).isEqualTo(a < 0xF8 ? 1 : 1 + (Long.SIZE - Long.numberOfLeadingZeros(a) + 7) / 8);
    }

    @Provide
    Arbitrary<Long> ids() {
        return Arbitraries.oneOf(SqlValues.nonNegativeLongs(), Arbitraries.longs().between(0, 300),
                Arbitraries.of(0L, 0xF7L, 0xF8L, 0xFFL, 0x100L, Long.MAX_VALUE));
    }

    static byte[] encode(KeyColumn column, Object value) {
        return new KeyWriter().writeValue(column, value).toByteArray();
    }

    static byte[] encodeRow(List<KeyColumn> columns, List<Object> row) {
        KeyWriter writer = new KeyWriter(4);
        for (int i = 0; i < columns.size(); i++) {
            writer.writeValue(columns.get(i), row.get(i));
        }
        return writer.toByteArray();
    }

    static String show(Object value) {
        if (value instanceof byte[] bytes) {
            return Arrays.toString(bytes);
        }
        if (value instanceof String s) {
            return '"' + s.codePoints().mapToObj(cp -> cp < 0x20 || cp > 0x7E ? String.format("\\u{%x}", cp)
                    : Character.toString(cp)).reduce("", String::concat) + '"';
        }
        return String.valueOf(value);
    }

    static String showRow(List<Object> row) {
        return row.stream().map(KeyOrderProperties::show).toList().toString();
    }
}
