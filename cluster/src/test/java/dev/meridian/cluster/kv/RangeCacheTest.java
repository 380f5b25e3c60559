package dev.meridian.cluster.kv;

import dev.meridian.cluster.keys.Keys;
import dev.meridian.proto.kv.Lease;
import dev.meridian.proto.kv.RangeDescriptor;
import dev.meridian.proto.kv.ReplicaDescriptor;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.meridian.cluster.kv.FakeCluster.descriptor;
import static dev.meridian.cluster.kv.FakeCluster.key;
import static org.assertj.core.api.Assertions.assertThat;

class RangeCacheTest {

    private final RangeCache cache = new RangeCache(100);

    private static RangeDescriptor range(long id, String start, String end, long generation) {
        return descriptor(id, key(start), end.equals("MAX") ? Keys.MAX : key(end), generation, 1, 2, 3);
    }

    private Optional<Long> rangeIdAt(String k) {
        return cache.lookup(key(k)).map(e -> e.descriptor().getRangeId());
    }

    @Test
    void lookupFindsTheRangeWhoseSpanHoldsTheKey() {
        cache.insert(range(1, "b", "f", 1));
        cache.insert(range(2, "f", "k", 1));

        assertThat(rangeIdAt("a")).isEmpty();
        assertThat(rangeIdAt("b")).contains(1L);
        assertThat(rangeIdAt("e")).contains(1L);
        assertThat(rangeIdAt("f")).contains(2L);
        assertThat(rangeIdAt("k")).isEmpty();
        // Reverse: the range holding the keys just below the end key.
        assertThat(cache.lookupReverse(key("f")).map(e -> e.descriptor().getRangeId())).contains(1L);
        assertThat(cache.lookupReverse(key("f\0")).map(e -> e.descriptor().getRangeId())).contains(2L);
        assertThat(cache.lookupReverse(key("b"))).isEmpty();
    }

    @Test
    void aNewerDescriptorEvictsEveryOverlappingOlderOne() {
        cache.insert(range(1, "a", "m", 1));
        cache.insert(range(2, "m", "z", 1));
        // A merge of both (generation 2) replaces both.
        assertThat(cache.insert(range(1, "a", "z", 2))).isTrue();
        assertThat(cache.size()).isEqualTo(1);
        assertThat(rangeIdAt("q")).contains(1L);
        // A split of it (generation 3): the left half alone evicts the merged range.
        assertThat(cache.insert(range(1, "a", "g", 3))).isTrue();
        assertThat(rangeIdAt("b")).contains(1L);
        assertThat(rangeIdAt("q")).isEmpty();
        assertThat(cache.indexSize()).isEqualTo(1);
    }

    @Test
    void anOlderDescriptorIsRefusedAndChangesNothing() {
        cache.insert(range(1, "a", "g", 3));
        cache.insert(range(3, "g", "z", 3));

        assertThat(cache.insert(range(1, "a", "z", 2))).isFalse();
        assertThat(rangeIdAt("b")).contains(1L);
        assertThat(rangeIdAt("q")).contains(3L);
        assertThat(cache.lookup(key("b")).orElseThrow().descriptor().getGeneration()).isEqualTo(3);
    }

    @Test
    void evictRemovesOnlyTheDescriptorItNames() {
        RangeDescriptor old = range(1, "a", "m", 1);
        cache.insert(old);
        RangeDescriptor newer = range(1, "a", "m", 2);
        cache.insert(newer);

        cache.evict(old); // stale: someone already replaced it
        assertThat(cache.lookup(key("b")).orElseThrow().descriptor()).isEqualTo(newer);
        cache.evict(newer);
        assertThat(rangeIdAt("b")).isEmpty();
        assertThat(cache.size()).isZero();
        assertThat(cache.indexSize()).isZero();
    }

    @Test
    void leaseholderFollowsNewerHintsAndSurvivesReinsertingTheSameDescriptor() {
        RangeDescriptor d = range(1, "a", "m", 1);
        cache.insert(d);
        cache.updateLease(d, lease(2, 5));
        assertThat(cache.leaseholderOf(d)).isEqualTo(2);
        cache.updateLease(d, lease(3, 4)); // older lease: ignored
        assertThat(cache.leaseholderOf(d)).isEqualTo(2);
        cache.insert(d);
        assertThat(cache.leaseholderOf(d)).isEqualTo(2);
        // A new descriptor starts without a known leaseholder.
        RangeDescriptor newer = range(1, "a", "m", 2);
        cache.insert(newer);
        assertThat(cache.leaseholderOf(newer)).isZero();
        assertThat(cache.leaseholderOf(d)).isZero();
    }

    @Test
    void sizeIsBoundedAndTheIndexStaysInStepWithTheCache() {
        RangeCache small = new RangeCache(10);
        for (int i = 0; i < 200; i++) {
            small.insert(descriptor(i + 1, new byte[] {0x10, (byte) i}, new byte[] {0x10, (byte) (i + 1)}, 1, 1));
        }
        assertThat(small.size()).isLessThanOrEqualTo(10);
        assertThat(small.indexSize()).isEqualTo((int) small.size());
        int found = 0;
        for (int i = 0; i < 200; i++) {
            Optional<RangeCache.Entry> e = small.lookup(new byte[] {0x10, (byte) i});
            if (e.isPresent()) {
                found++;
                assertThat(e.get().descriptor().getRangeId()).isEqualTo(i + 1);
            }
        }
        assertThat(found).isEqualTo((int) small.size());
    }

    private static Lease lease(long node, long sequence) {
        return Lease.newBuilder().setReplica(ReplicaDescriptor.newBuilder().setNodeId(node)).setSequence(sequence).build();
    }
}
