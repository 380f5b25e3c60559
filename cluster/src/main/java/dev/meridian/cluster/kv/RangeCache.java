package dev.meridian.cluster.kv;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.proto.kv.Lease;
import dev.meridian.proto.kv.RangeDescriptor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The DistSender's cache of range descriptors (by span) and of each range's leaseholder.
 *
 * <p>Two structures hold the entries: a size-bounded Caffeine cache keyed by end key, which is
 * the source of truth and decides eviction, and a {@link ConcurrentSkipListMap} keyed by end key,
 * the ordered index that answers "which range holds key k" (the entry with the smallest end key
 * above k). Invariants, and why they cannot disagree harmfully:
 * <ul>
 *   <li>Every mutation (insert, evict, lease update) holds {@link #lock}, and writes the index
 *       before the cache; Caffeine's size evictions remove the same entry from the index through
 *       an eviction listener (run inline, on the thread that caused the eviction), conditionally
 *       on the entry's identity, so a later entry under the same end key is never removed.</li>
 *   <li>A lookup finds an entry in the index and confirms with the cache that the very same
 *       entry is present (which also tells the cache's frequency policy it was used). An index
 *       entry the cache no longer has is treated as a miss and dropped from the index. So a
 *       momentary disagreement costs at most one extra descriptor lookup, never a wrong answer
 *       beyond what any cache may give (a stale descriptor, which the node corrects with
 *       RANGE_KEY_MISMATCH).</li>
 *   <li>Cached spans never overlap: inserting a descriptor evicts every overlapping entry of an
 *       older or equal generation, and is refused if an overlapping entry is newer.</li>
 * </ul>
 *
 * <p>Generations: a split gives both halves the parent's generation plus one, a merge the larger
 * generation plus one, so of two overlapping descriptors the one with the higher generation is
 * the more recent. Between equal generations the one inserted last wins (it came from a more
 * recent answer).
 *
 * <p>Thread-safe: lookups are lock-free; mutations serialize on one lock.
 */
final class RangeCache {

    /** One cached range: its descriptor (immutable) and the node believed to hold its lease. */
    static final class Entry {
        private final RangeDescriptor descriptor;
        private volatile long leaseholderNodeId;
        private volatile long leaseSequence;

        Entry(RangeDescriptor descriptor) {
            this.descriptor = descriptor;
        }

        RangeDescriptor descriptor() {
            return descriptor;
        }

        /** The node believed to hold the lease, 0 if unknown. */
        long leaseholderNodeId() {
            return leaseholderNodeId;
        }
    }

    private final Cache<KeyBytes, Entry> cache;
    private final ConcurrentSkipListMap<KeyBytes, Entry> index = new ConcurrentSkipListMap<>();
    private final ReentrantLock lock = new ReentrantLock();

    /** A cache holding at most about {@code maxRanges} descriptors. */
    RangeCache(long maxRanges) {
        if (maxRanges <= 0) {
            throw new IllegalArgumentException("maxRanges must be positive: " + maxRanges);
        }
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxRanges)
                // Maintenance (and so the eviction listener) on the calling thread: the index is
                // trimmed as soon as the cache evicts, and tests see a settled state.
                .executor(Runnable::run)
                .<KeyBytes, Entry>evictionListener(this::onEviction)
                .build();
    }

    private void onEviction(KeyBytes endKey, Entry entry, RemovalCause cause) {
        if (endKey != null && entry != null) {
            index.remove(endKey, entry);
        }
    }

    /** The cached range holding {@code key}, if any. */
    Optional<Entry> lookup(byte[] key) {
        return confirmed(index.higherEntry(new KeyBytes(key)), key, false);
    }

    /**
     * The cached range holding the keys just below {@code end} (where a reverse scan ending at
     * {@code end} starts), if any.
     */
    Optional<Entry> lookupReverse(byte[] end) {
        return confirmed(index.ceilingEntry(new KeyBytes(end)), end, true);
    }

    private Optional<Entry> confirmed(Map.Entry<KeyBytes, Entry> found, byte[] key, boolean reverse) {
        if (found == null) {
            return Optional.empty();
        }
        Entry e = found.getValue();
        byte[] start = e.descriptor.getStartKey().toByteArray();
        boolean holds = reverse ? Keys.compare(start, key) < 0 : Keys.compare(start, key) <= 0;
        if (!holds) {
            return Optional.empty();
        }
        if (cache.getIfPresent(found.getKey()) != e) {
            index.remove(found.getKey(), e);
            return Optional.empty();
        }
        return Optional.of(e);
    }

    /**
     * Caches {@code descriptor}, evicting overlapping entries of older or equal generations.
     *
     * @return false (and nothing changes) if an overlapping cached descriptor is newer
     */
    boolean insert(RangeDescriptor descriptor) {
        byte[] start = descriptor.getStartKey().toByteArray();
        byte[] end = descriptor.getEndKey().toByteArray();
        if (Keys.compare(start, end) >= 0) {
            throw new IllegalArgumentException("empty span in descriptor of r" + descriptor.getRangeId());
        }
        lock.lock();
        try {
            List<Map.Entry<KeyBytes, Entry>> overlapping = overlappingLocked(start, end);
            for (Map.Entry<KeyBytes, Entry> o : overlapping) {
                if (o.getValue().descriptor.getGeneration() > descriptor.getGeneration()) {
                    return false;
                }
            }
            Entry fresh = new Entry(descriptor);
            for (Map.Entry<KeyBytes, Entry> o : overlapping) {
                if (o.getValue().descriptor.equals(descriptor)) {
                    // The same descriptor again: keep the entry and the leaseholder it learned.
                    return true;
                }
            }
            for (Map.Entry<KeyBytes, Entry> o : overlapping) {
                removeLocked(o.getKey(), o.getValue());
            }
            KeyBytes endKey = new KeyBytes(end);
            index.put(endKey, fresh);
            cache.put(endKey, fresh);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Entries whose spans overlap {@code [start, end)}, in key order (spans never overlap). */
    private List<Map.Entry<KeyBytes, Entry>> overlappingLocked(byte[] start, byte[] end) {
        List<Map.Entry<KeyBytes, Entry>> out = new ArrayList<>();
        for (Map.Entry<KeyBytes, Entry> e : index.tailMap(new KeyBytes(start), false).entrySet()) {
            if (Keys.compare(e.getValue().descriptor.getStartKey().toByteArray(), end) >= 0) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    private void removeLocked(KeyBytes endKey, Entry entry) {
        index.remove(endKey, entry);
        cache.asMap().remove(endKey, entry);
    }

    /**
     * Drops {@code descriptor} if it is still the cached one for its span (a newer descriptor
     * cached meanwhile stays).
     */
    void evict(RangeDescriptor descriptor) {
        KeyBytes endKey = new KeyBytes(descriptor.getEndKey().toByteArray());
        lock.lock();
        try {
            Entry e = index.get(endKey);
            if (e != null && e.descriptor.equals(descriptor)) {
                removeLocked(endKey, e);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Notes a lease hint (from NOT_LEASEHOLDER or the first range's lease) for the cached
     * {@code descriptor}; ignored if the descriptor is no longer cached or the hint is older
     * (lower sequence) than what the cache knows.
     */
    void updateLease(RangeDescriptor descriptor, Lease lease) {
        long nodeId = lease.getReplica().getNodeId();
        if (nodeId == 0) {
            return;
        }
        lock.lock();
        try {
            Entry e = index.get(new KeyBytes(descriptor.getEndKey().toByteArray()));
            if (e != null && e.descriptor.equals(descriptor) && lease.getSequence() >= e.leaseSequence) {
                e.leaseholderNodeId = nodeId;
                e.leaseSequence = lease.getSequence();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Notes that {@code nodeId} just served a request of {@code descriptor}: it holds the lease. */
    void recordLeaseholder(RangeDescriptor descriptor, long nodeId) {
        Entry e = index.get(new KeyBytes(descriptor.getEndKey().toByteArray()));
        if (e != null && e.descriptor.equals(descriptor)) {
            // No lock: a single volatile write; a racing hint with a newer sequence may be
            // overwritten, which costs one NOT_LEASEHOLDER redirect.
            e.leaseholderNodeId = nodeId;
        }
    }

    /** The node believed to hold {@code descriptor}'s lease, 0 if unknown or not cached. */
    long leaseholderOf(RangeDescriptor descriptor) {
        Entry e = index.get(new KeyBytes(descriptor.getEndKey().toByteArray()));
        return e != null && e.descriptor.equals(descriptor) ? e.leaseholderNodeId : 0;
    }

    /** The number of cached ranges, after pending evictions ran. */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    /** The number of entries in the ordered index (for tests: equals {@link #size()} when settled). */
    int indexSize() {
        return index.size();
    }
}
