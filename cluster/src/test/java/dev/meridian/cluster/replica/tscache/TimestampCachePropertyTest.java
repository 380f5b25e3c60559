package dev.meridian.cluster.replica.tscache;

import dev.meridian.cluster.replica.tscache.TimestampCache.Entry;
import dev.meridian.storage.mvcc.Timestamp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random reads and low-water raises, checked after every step against a model that keeps every
 * read: exact answers while nothing is evicted, and never too low (nor a wrongly claimed owner)
 * when a tiny capacity forces eviction.
 */
class TimestampCachePropertyTest {

    /**
     * Few keys, so that spans overlap and touch often: the empty key, a key and its immediate
     * successor ({1} and {1,0}), and bytes on both sides of 0x80 to catch signed comparison.
     */
    private static final byte[][] KEYS = {
            {}, {0}, {1}, {1, 0}, {1, 0, 0}, {2}, {0x7F}, {(byte) 0x80}, {(byte) 0xFF}, {(byte) 0xFF, 0},
    };
    private static final UUID[] TXNS = {null, new UUID(0, 1), new UUID(0, 2), new UUID(0, 3)};
    private static final Timestamp LOW = Timestamp.ofWall(2);

    sealed interface Op {
    }

    /** A read of KEYS[from] .. KEYS[to] (exclusive); to == from means the single key. */
    record Add(int from, int to, Timestamp ts, UUID txn) implements Op {
    }

    record Raise(Timestamp ts) implements Op {
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void answersEqualTheModelWhileNothingIsEvicted(@ForAll("histories") List<Op> ops) {
        TimestampCache cache = new TimestampCache(LOW, Long.MAX_VALUE);
        Model model = new Model(LOW);
        for (Op op : ops) {
            apply(op, cache, model);
            assertThat(cache.lowWater()).isEqualTo(model.lowWater);
            forEveryQuery((s, e) -> assertThat(cache.max(s, e))
                    .as("max(%s, %s) after %s", Arrays.toString(s), Arrays.toString(e), op)
                    .isEqualTo(model.max(s, e)));
        }
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void answersAreNeverTooLowWhenEvicting(@ForAll("histories") List<Op> ops,
                                           @ForAll @LongRange(min = 1, max = 3) long maxEntries) {
        TimestampCache cache = new TimestampCache(LOW, maxEntries);
        Model model = new Model(LOW);
        for (Op op : ops) {
            apply(op, cache, model);
            assertThat(cache.size()).isLessThanOrEqualTo((int) maxEntries);
            assertThat(cache.lowWater()).isGreaterThanOrEqualTo(model.lowWater);
            forEveryQuery((s, e) -> {
                Entry got = cache.max(s, e);
                Entry exact = model.max(s, e);
                String where = "max(" + Arrays.toString(s) + ", " + Arrays.toString(e) + ") after " + op;
                assertThat(got.ts()).as(where).isGreaterThanOrEqualTo(exact.ts());
                // An owner lets that transaction write at the timestamp itself: only the true
                // owner of the true maximum may be named.
                if (got.ts().equals(exact.ts()) && got.txn() != null) {
                    assertThat(got.txn()).as(where).isEqualTo(exact.txn());
                }
            });
        }
        Statistics.label("evicted").collect(cache.lowWater().compareTo(model.lowWater) > 0);
        Statistics.label("evicted").coverage(c -> c.check(true).percentage(p -> p > 25));
    }

    private static void apply(Op op, TimestampCache cache, Model model) {
        switch (op) {
            case Add a -> {
                byte[] end = a.to() == a.from() ? null : KEYS[a.to()];
                cache.add(KEYS[a.from()], end, a.ts(), a.txn());
                model.add(KEYS[a.from()], end, a.ts(), a.txn());
            }
            case Raise r -> {
                cache.raiseLowWater(r.ts());
                model.lowWater = model.lowWater.forward(r.ts());
            }
        }
    }

    /** Every single key of the alphabet and every non-empty span between two of its keys. */
    private static void forEveryQuery(BiConsumer<byte[], byte[]> check) {
        for (int i = 0; i < KEYS.length; i++) {
            check.accept(KEYS[i], null);
            for (int j = i + 1; j < KEYS.length; j++) {
                check.accept(KEYS[i], KEYS[j]);
            }
        }
    }

    @Provide
    Arbitrary<List<Op>> histories() {
        // Few timestamps, some at or below the low-water mark, so that ties are common.
        Arbitrary<Timestamp> ts = Combinators.combine(
                Arbitraries.longs().between(1, 6), Arbitraries.integers().between(0, 1)).as(Timestamp::of);
        Arbitrary<Op> add = Combinators.combine(
                Arbitraries.integers().between(0, KEYS.length - 1),
                Arbitraries.integers().between(0, KEYS.length - 1),
                ts,
                Arbitraries.of(TXNS)).as((a, b, t, txn) -> new Add(Math.min(a, b), Math.max(a, b), t, txn));
        Arbitrary<Op> raise = ts.map(Raise::new);
        return Arbitraries.frequencyOf(
                Tuple.of(12, add),
                Tuple.of(1, raise)).list().ofMinSize(4).ofMaxSize(25);
    }

    /** Every read ever added, and the low-water mark: the definition the cache must meet. */
    private static final class Model {
        private record Read(byte[] start, byte[] end, Timestamp ts, UUID txn) {
        }

        private final List<Read> reads = new ArrayList<>();
        private Timestamp lowWater;

        Model(Timestamp lowWater) {
            this.lowWater = lowWater;
        }

        void add(byte[] start, byte[] end, Timestamp ts, UUID txn) {
            reads.add(new Read(start, endOf(start, end), ts, txn));
        }

        /** The highest timestamp over reads overlapping the span and the mark; owner as documented. */
        Entry max(byte[] start, byte[] end) {
            byte[] to = endOf(start, end);
            List<Read> overlapping = reads.stream()
                    .filter(r -> Arrays.compareUnsigned(r.start(), to) < 0
                            && Arrays.compareUnsigned(start, r.end()) < 0)
                    .toList();
            Timestamp top = overlapping.stream().map(Read::ts).reduce(lowWater, Timestamp::forward);
            List<UUID> holders = overlapping.stream().filter(r -> r.ts().equals(top)).map(Read::txn)
                    .distinct().toList();
            boolean owned = top.compareTo(lowWater) > 0 && holders.size() == 1 && holders.get(0) != null;
            return new Entry(top, owned ? holders.get(0) : null);
        }

        private static byte[] endOf(byte[] start, byte[] end) {
            return end != null ? end : Arrays.copyOf(start, start.length + 1);
        }
    }
}
