package dev.meridian.cluster.replica.tscache;

import dev.meridian.cluster.replica.tscache.TimestampCache.Entry;
import dev.meridian.storage.mvcc.Timestamp;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimestampCacheTest {

    private static final UUID A = new UUID(0, 1);
    private static final UUID B = new UUID(0, 2);
    private static final Timestamp LOW = ts(5);

    private final TimestampCache cache = new TimestampCache(LOW, 1_000);

    // ---- point and span reads ----

    @Test
    void anEmptyCacheAnswersTheLowWaterMarkOwnedByNobody() {
        assertThat(cache.max(k("a"))).isEqualTo(new Entry(LOW, null));
        assertThat(cache.max(k("a"), k("z"))).isEqualTo(new Entry(LOW, null));
        assertThat(cache.size()).isZero();
    }

    @Test
    void aPointReadCoversOnlyItsKey() {
        cache.add(k("b"), null, ts(10), A);
        assertThat(cache.max(k("b"))).isEqualTo(new Entry(ts(10), A));
        // The keys right around it: before, and the first key after ("b\0").
        assertThat(cache.max(k("a"))).isEqualTo(new Entry(LOW, null));
        assertThat(cache.max(new byte[] {'b', 0})).isEqualTo(new Entry(LOW, null));
        assertThat(cache.max(k("ba"))).isEqualTo(new Entry(LOW, null));
        assertThat(cache.max(k("a"), k("b"))).isEqualTo(new Entry(LOW, null));
        assertThat(cache.max(k("a"), new byte[] {'b', 0})).isEqualTo(new Entry(ts(10), A));
    }

    @Test
    void aSpanReadCoversItsStartButNotItsEnd() {
        cache.add(k("b"), k("d"), ts(10), A);
        assertThat(cache.max(k("b"))).isEqualTo(new Entry(ts(10), A));
        assertThat(cache.max(k("c"))).isEqualTo(new Entry(ts(10), A));
        assertThat(cache.max(k("czzz"))).isEqualTo(new Entry(ts(10), A));
        assertThat(cache.max(k("d"))).isEqualTo(new Entry(LOW, null));
        assertThat(cache.max(k("a"))).isEqualTo(new Entry(LOW, null));
        // A query that only reaches into the span from the left or right still sees it.
        assertThat(cache.max(k("a"), k("bb"))).isEqualTo(new Entry(ts(10), A));
        assertThat(cache.max(k("c"), k("z"))).isEqualTo(new Entry(ts(10), A));
        assertThat(cache.max(k("d"), k("z"))).isEqualTo(new Entry(LOW, null));
    }

    @Test
    void keysCompareUnsigned() {
        byte[] high = {(byte) 0xF0};
        cache.add(k("a"), new byte[] {(byte) 0x80}, ts(10), A);
        // 0xF0 is above 0x80 unsigned (below it signed): not covered.
        assertThat(cache.max(high)).isEqualTo(new Entry(LOW, null));
        assertThat(cache.max(new byte[] {0x7F})).isEqualTo(new Entry(ts(10), A));
    }

    @Test
    void theEmptyKeyIsTheLowestKey() {
        cache.add(new byte[0], k("a"), ts(10), null);
        assertThat(cache.max(new byte[0])).isEqualTo(new Entry(ts(10), null));
        assertThat(cache.max(new byte[] {0})).isEqualTo(new Entry(ts(10), null));
        assertThat(cache.max(k("a"))).isEqualTo(new Entry(LOW, null));
    }

    @Test
    void theCacheKeepsItsOwnCopyOfTheKeys() {
        byte[] start = k("b");
        byte[] end = k("d");
        cache.add(start, end, ts(10), A);
        start[0] = 'x';
        end[0] = 'y';
        assertThat(cache.max(k("c"))).isEqualTo(new Entry(ts(10), A));
        assertThat(cache.max(k("x"))).isEqualTo(new Entry(LOW, null));
    }

    // ---- overlapping spans ----

    @Test
    void aHigherReadOverAPartOfASpanRaisesOnlyThatPart() {
        cache.add(k("a"), k("z"), ts(10), A);
        cache.add(k("f"), k("h"), ts(20), B);
        assertThat(cache.max(k("e"))).isEqualTo(new Entry(ts(10), A));
        assertThat(cache.max(k("f"))).isEqualTo(new Entry(ts(20), B));
        assertThat(cache.max(k("g"))).isEqualTo(new Entry(ts(20), B));
        assertThat(cache.max(k("h"))).isEqualTo(new Entry(ts(10), A));
        assertThat(cache.max(k("a"), k("z"))).isEqualTo(new Entry(ts(20), B));
        assertThat(cache.max(k("a"), k("f"))).isEqualTo(new Entry(ts(10), A));
        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void aLowerReadOverASpanFillsOnlyTheGaps() {
        cache.add(k("c"), k("e"), ts(20), A);
        cache.add(k("a"), k("z"), ts(10), B);
        assertThat(cache.max(k("b"))).isEqualTo(new Entry(ts(10), B));
        assertThat(cache.max(k("d"))).isEqualTo(new Entry(ts(20), A));
        assertThat(cache.max(k("e"))).isEqualTo(new Entry(ts(10), B));
        assertThat(cache.max(k("a"), k("z"))).isEqualTo(new Entry(ts(20), A));
    }

    @Test
    void aReadThatChangesNothingLeavesTheIntervalsAsTheyWere() {
        cache.add(k("a"), k("z"), ts(20), A);
        cache.add(k("f"), k("h"), ts(10), B);
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.max(k("g"))).isEqualTo(new Entry(ts(20), A));
    }

    @Test
    void touchingReadsOfTheSameValueMerge() {
        cache.add(k("a"), k("c"), ts(10), A);
        cache.add(k("c"), k("e"), ts(10), A);
        cache.add(k("e"), k("g"), ts(10), B);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.max(k("a"), k("e"))).isEqualTo(new Entry(ts(10), A));
    }

    // ---- owners ----

    @Test
    void theSameTransactionReadingTwiceAtTheSameTimestampKeepsTheOwner() {
        cache.add(k("a"), k("c"), ts(10), A);
        cache.add(k("b"), k("d"), ts(10), A);
        assertThat(cache.max(k("b"))).isEqualTo(new Entry(ts(10), A));
        assertThat(cache.max(k("a"), k("d"))).isEqualTo(new Entry(ts(10), A));
    }

    @Test
    void twoTransactionsAtTheSameTimestampOwnNothing() {
        cache.add(k("a"), null, ts(10), A);
        cache.add(k("a"), null, ts(10), B);
        assertThat(cache.max(k("a"))).isEqualTo(new Entry(ts(10), null));
        // And the owner does not come back when one of them reads again.
        cache.add(k("a"), null, ts(10), A);
        assertThat(cache.max(k("a"))).isEqualTo(new Entry(ts(10), null));
    }

    @Test
    void twoTransactionsOnDifferentKeysAtTheSameTimestampOwnNothingOverTheSpan() {
        cache.add(k("a"), null, ts(10), A);
        cache.add(k("c"), null, ts(10), B);
        assertThat(cache.max(k("a"))).isEqualTo(new Entry(ts(10), A));
        assertThat(cache.max(k("a"), k("z"))).isEqualTo(new Entry(ts(10), null));
    }

    @Test
    void aReadWithoutATransactionTakesTheOwnerAwayAtATie() {
        cache.add(k("a"), null, ts(10), A);
        cache.add(k("a"), null, ts(10), null);
        assertThat(cache.max(k("a"))).isEqualTo(new Entry(ts(10), null));
    }

    @Test
    void aHigherReadTakesOverTheOwner() {
        cache.add(k("a"), null, ts(10), A);
        cache.add(k("a"), null, ts(10), B);
        cache.add(k("a"), null, Timestamp.of(10, 1), B);
        assertThat(cache.max(k("a"))).isEqualTo(new Entry(Timestamp.of(10, 1), B));
    }

    @Test
    void aReadAtTheLowWaterMarkOwnsNothing() {
        cache.add(k("a"), null, LOW, A);
        assertThat(cache.max(k("a"))).isEqualTo(new Entry(LOW, null));
        assertThat(cache.size()).isZero();
    }

    @Test
    void aReadBelowTheLowWaterMarkChangesNothing() {
        cache.add(k("a"), null, ts(1), A);
        assertThat(cache.max(k("a"))).isEqualTo(new Entry(LOW, null));
        assertThat(cache.size()).isZero();
    }

    // ---- low-water mark ----

    @Test
    void raisingTheLowWaterMarkLiftsEveryKeyAndDropsWhatItCovers() {
        cache.add(k("a"), null, ts(10), A);
        cache.add(k("c"), null, ts(30), B);
        cache.raiseLowWater(ts(20));
        assertThat(cache.lowWater()).isEqualTo(ts(20));
        assertThat(cache.max(k("a"))).isEqualTo(new Entry(ts(20), null));
        assertThat(cache.max(k("b"))).isEqualTo(new Entry(ts(20), null));
        assertThat(cache.max(k("c"))).isEqualTo(new Entry(ts(30), B));
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aLowWaterMarkEqualToAReadTakesItsOwnerAway() {
        cache.add(k("a"), null, ts(10), A);
        cache.raiseLowWater(ts(10));
        assertThat(cache.max(k("a"))).isEqualTo(new Entry(ts(10), null));
    }

    @Test
    void theLowWaterMarkNeverGoesDown() {
        cache.raiseLowWater(ts(20));
        cache.raiseLowWater(ts(10));
        assertThat(cache.lowWater()).isEqualTo(ts(20));
        assertThat(cache.max(k("a"))).isEqualTo(new Entry(ts(20), null));
    }

    // ---- bounded memory ----

    @Test
    void evictionForgetsTheOldestReadsAndRaisesTheLowWaterMarkToCoverThem() {
        TimestampCache small = new TimestampCache(LOW, 2);
        small.add(k("a"), null, ts(10), A);
        small.add(k("c"), null, ts(30), A);
        small.add(k("e"), null, ts(20), B);
        assertThat(small.size()).isEqualTo(2);
        assertThat(small.lowWater()).isEqualTo(ts(10));
        // The forgotten read is answered by the mark: as high as it was, but owned by nobody.
        assertThat(small.max(k("a"))).isEqualTo(new Entry(ts(10), null));
        assertThat(small.max(k("c"))).isEqualTo(new Entry(ts(30), A));
        assertThat(small.max(k("e"))).isEqualTo(new Entry(ts(20), B));
        // Keys nobody read are over-estimated now, which is safe.
        assertThat(small.max(k("b"))).isEqualTo(new Entry(ts(10), null));
    }

    @Test
    void evictionMayForgetTheReadJustAdded() {
        TimestampCache small = new TimestampCache(LOW, 1);
        small.add(k("a"), null, ts(30), A);
        small.add(k("c"), null, ts(10), B);
        assertThat(small.size()).isEqualTo(1);
        assertThat(small.max(k("a"))).isEqualTo(new Entry(ts(30), A));
        assertThat(small.max(k("c"))).isEqualTo(new Entry(ts(10), null));
    }

    @Test
    void evictionForgetsEveryIntervalAtTheEvictedTimestamp() {
        TimestampCache small = new TimestampCache(LOW, 2);
        small.add(k("a"), null, ts(10), A);
        small.add(k("c"), null, ts(10), B);
        small.add(k("e"), null, ts(20), B);
        assertThat(small.size()).isEqualTo(1);
        assertThat(small.lowWater()).isEqualTo(ts(10));
        assertThat(small.max(k("c"))).isEqualTo(new Entry(ts(10), null));
    }

    @Test
    void aSplitThatOverflowsIsEvicted() {
        TimestampCache small = new TimestampCache(LOW, 1);
        small.add(k("a"), k("z"), ts(10), A);
        small.add(k("m"), null, ts(20), B);
        assertThat(small.size()).isEqualTo(1);
        assertThat(small.lowWater()).isEqualTo(ts(10));
        assertThat(small.max(k("b"))).isEqualTo(new Entry(ts(10), null));
        assertThat(small.max(k("m"))).isEqualTo(new Entry(ts(20), B));
    }

    // ---- bad input ----

    @Test
    void badReadsAreRejectedAndChangeNothing() {
        cache.add(k("b"), k("d"), ts(10), A);
        assertThatThrownBy(() -> cache.add(k("c"), k("c"), ts(20), B))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty span");
        assertThatThrownBy(() -> cache.add(k("d"), k("a"), ts(20), B))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty span");
        assertThatThrownBy(() -> cache.add(null, k("a"), ts(20), B))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("start key");
        assertThatThrownBy(() -> cache.add(k("a"), k("z"), null, B))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timestamp");
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.max(k("a"), k("z"))).isEqualTo(new Entry(ts(10), A));
        assertThat(cache.max(k("c"))).isEqualTo(new Entry(ts(10), A));
        assertThat(cache.lowWater()).isEqualTo(LOW);
    }

    @Test
    void badQueriesAndSettingsAreRejected() {
        assertThatThrownBy(() -> cache.max(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.max(k("b"), k("a"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.max(k("b"), k("b"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.raiseLowWater(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(cache.lowWater()).isEqualTo(LOW);
        assertThatThrownBy(() -> new TimestampCache(LOW, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TimestampCache(null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Entry(null, A)).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] k(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Timestamp ts(long wall) {
        return Timestamp.ofWall(wall);
    }
}
