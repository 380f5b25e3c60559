package dev.meridian.storage.encoding;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Damaged keys: a read either throws {@link KeyDecodingException} or returns a value whose
 * encoding is exactly the bytes it consumed. That rules out garbage (a value that does not
 * re-encode to its own bytes would be a second, non-canonical key for it) and endless loops.
 */
class MalformedKeyProperties {

    /** A valid encoding of a value of {@code column}, then damaged. */
    record Damaged(KeyColumn column, byte[] key) {
    }

    @Provide
    Arbitrary<Damaged> damaged() {
        Arbitrary<KeyColumn> columns = new KeyOrderProperties().columns();
        return columns.flatMap(column -> Combinators.combine(SqlValues.nullable(column.type()),
                        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 1000),
                        Arbitraries.integers().between(0, 255))
                .as((value, how, where, what) -> new Damaged(column,
                        damage(KeyOrderProperties.encode(column, value), how, where, what)))
                .withoutEdgeCases());
    }

    private static byte[] damage(byte[] key, int how, int where, int what) {
        int at = where % (key.length + 1);
        return switch (how) {
            case 0 -> Arrays.copyOf(key, at); // truncate
            case 1 -> { // overwrite one byte
                byte[] copy = key.clone();
                copy[Math.min(at, key.length - 1)] = (byte) what;
                yield copy;
            }
            case 2 -> { // insert one byte
                byte[] copy = new byte[key.length + 1];
                System.arraycopy(key, 0, copy, 0, at);
                copy[at] = (byte) what;
                System.arraycopy(key, at, copy, at + 1, key.length - at);
                yield copy;
            }
            default -> { // drop one byte
                if (key.length == 0) {
                    yield key;
                }
                int drop = Math.min(at, key.length - 1);
                byte[] copy = new byte[key.length - 1];
                System.arraycopy(key, 0, copy, 0, drop);
                System.arraycopy(key, drop + 1, copy, drop, key.length - drop - 1);
                yield copy;
            }
        };
    }

    @Property(tries = 3000)
    void damagedKeysThrowOrDecodeCanonically(@ForAll("damaged") Damaged d) {
        assertDecodesCanonicallyOrThrows(d.column(), d.key());
    }

    @Property(tries = 2000)
    void randomBytesThrowOrDecodeCanonically(@ForAll("columnsForFuzz") KeyColumn column, @ForAll byte[] key) {
        assertDecodesCanonicallyOrThrows(column, key);
    }

    @Provide
    Arbitrary<KeyColumn> columnsForFuzz() {
        return new KeyOrderProperties().columns();
    }

    private static void assertDecodesCanonicallyOrThrows(KeyColumn column, byte[] key) {
        KeyReader reader = new KeyReader(key);
        Object[] decoded = new Object[1];
        Throwable thrown = catchThrowable(() -> decoded[0] = reader.readValue(column));
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(KeyDecodingException.class);
            return;
        }
        byte[] consumed = Arrays.copyOf(key, reader.position());
        assertThat(KeyOrderProperties.encode(column, decoded[0]))
                .as("%s decoded %s from %s", column, KeyOrderProperties.show(decoded[0]), Arrays.toString(key))
                .isEqualTo(consumed);
    }
}
