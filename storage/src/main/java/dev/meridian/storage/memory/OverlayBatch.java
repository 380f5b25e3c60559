package dev.meridian.storage.memory;

import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.EngineLimits;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A read-through batch of the in-memory engine: point writes are kept in an ordered overlay per
 * key space; range deletions hide the engine's keys beneath them and drop overlay keys they
 * cover, so a later put in the batch wins over an earlier range deletion.
 */
final class OverlayBatch extends ListBatch implements ReadWriteBatch {
    private record Range(byte[] start, byte[] end) {
        boolean covers(byte[] key) {
            return Source.ORDER.compare(start, key) <= 0 && Source.ORDER.compare(key, end) < 0;
        }
    }

    private final InMemoryEngine engine;
    private final List<TreeMap<byte[], byte[]>> overlays = new ArrayList<>();
    private final List<List<Range>> rangeDeletes = new ArrayList<>();
    // Open iterators per key space. A write to a space with open iterators first replaces that
    // space's overlay and range list by copies (copy-on-write), so the iterators keep the view
    // they were created with while the common pattern -- read, close, write -- copies nothing.
    private final int[][] openIterators = new int[KeySpace.values().length][];
    // A tombstone in the overlay is an entry whose value is this array (identity compared).
    private static final byte[] TOMBSTONE = new byte[0];

    OverlayBatch(InMemoryEngine engine, EngineLimits limits) {
        super(limits, engine);
        this.engine = engine;
        for (int i = 0; i < KeySpace.values().length; i++) {
            overlays.add(new TreeMap<>(Source.ORDER));
            rangeDeletes.add(new ArrayList<>());
        }
    }

    @Override
    public void put(KeySpace space, byte[] key, byte[] value) {
        super.put(space, key, value);
        writableOverlay(space).put(key.clone(), value.clone());
    }

    @Override
    public void delete(KeySpace space, byte[] key) {
        super.delete(space, key);
        writableOverlay(space).put(key.clone(), TOMBSTONE);
    }

    @Override
    public void deleteRange(KeySpace space, byte[] start, byte[] end) {
        super.deleteRange(space, start, end);
        if (Source.ORDER.compare(start, end) < 0) {
            writableOverlay(space).subMap(start, true, end, false).clear();
            rangeDeletes.get(space.ordinal()).add(new Range(start.clone(), end.clone()));
        }
    }

    @Override
    public byte[] get(KeySpace space, byte[] key) {
        checkOpen();
        byte[] v = overlays.get(space.ordinal()).get(key);
        if (v != null) {
            return v == TOMBSTONE ? null : v.clone();
        }
        if (coveredByRangeDelete(space, key)) {
            return null;
        }
        return engine.get(space, key);
    }

    @Override
    public EngineIterator iterator(KeySpace space, byte[] lowerBound, byte[] upperBound) {
        checkOpen();
        long seq = engine.pinForBatch();
        Source base = engine.viewAt(space, seq);
        int s = space.ordinal();
        // Shared, not copied: writableOverlay copies before the next write while this is open.
        // The counter belongs to the shared generation, so closing an iterator after a copy
        // does not disturb the count of the new generation.
        Source merged = new Merged(overlays.get(s), base, rangeDeletes.get(s));
        if (openIterators[s] == null) {
            openIterators[s] = new int[1];
        }
        int[] generation = openIterators[s];
        generation[0]++;
        return new SourceIterator(merged, lowerBound, upperBound, engine::checkOpen, () -> {
            generation[0]--;
            engine.unpinForBatch(seq);
        });
    }

    /** The overlay of {@code space}, copied first if an open iterator shares it. */
    private TreeMap<byte[], byte[]> writableOverlay(KeySpace space) {
        int s = space.ordinal();
        if (openIterators[s] != null && openIterators[s][0] > 0) {
            overlays.set(s, new TreeMap<>(overlays.get(s)));
            rangeDeletes.set(s, new ArrayList<>(rangeDeletes.get(s)));
            // The open iterators keep the old generation; later writes need not copy again
            // until another iterator is opened on the new one.
            openIterators[s] = null;
        }
        return overlays.get(s);
    }

    private boolean coveredByRangeDelete(KeySpace space, byte[] key) {
        for (Range r : rangeDeletes.get(space.ordinal())) {
            if (r.covers(key)) {
                return true;
            }
        }
        return false;
    }

    /** The overlay laid over the engine: overlay keys win; range deletions hide engine keys. */
    private record Merged(TreeMap<byte[], byte[]> overlay, Source base, List<Range> ranges) implements Source {
        @Override
        public Entry ceiling(byte[] key) {
            return pickForward(overlay.ceilingEntry(key), baseForward(base.ceiling(key)));
        }

        @Override
        public Entry higher(byte[] key) {
            return pickForward(overlay.higherEntry(key), baseForward(base.higher(key)));
        }

        @Override
        public Entry floor(byte[] key) {
            return pickBackward(overlay.floorEntry(key), baseBackward(base.floor(key)));
        }

        @Override
        public Entry lower(byte[] key) {
            return pickBackward(overlay.lowerEntry(key), baseBackward(base.lower(key)));
        }

        @Override
        public Entry first() {
            return pickForward(overlay.firstEntry(), baseForward(base.first()));
        }

        @Override
        public Entry last() {
            return pickBackward(overlay.lastEntry(), baseBackward(base.last()));
        }

        private Entry baseForward(Entry e) {
            while (e != null && hidden(e.key())) {
                e = base.higher(e.key());
            }
            return e;
        }

        private Entry baseBackward(Entry e) {
            while (e != null && hidden(e.key())) {
                e = base.lower(e.key());
            }
            return e;
        }

        private boolean hidden(byte[] key) {
            for (Range r : ranges) {
                if (r.covers(key)) {
                    return true;
                }
            }
            return false;
        }

        private static Entry fromOverlay(Map.Entry<byte[], byte[]> e) {
            return new Entry(e.getKey(), e.getValue() == TOMBSTONE ? null : e.getValue());
        }

        private static Entry pickForward(Map.Entry<byte[], byte[]> o, Entry b) {
            if (o == null) {
                return b;
            }
            if (b == null || Source.ORDER.compare(o.getKey(), b.key()) <= 0) {
                return fromOverlay(o);
            }
            return b;
        }

        private static Entry pickBackward(Map.Entry<byte[], byte[]> o, Entry b) {
            if (o == null) {
                return b;
            }
            if (b == null || Source.ORDER.compare(o.getKey(), b.key()) >= 0) {
                return fromOverlay(o);
            }
            return b;
        }
    }
}
