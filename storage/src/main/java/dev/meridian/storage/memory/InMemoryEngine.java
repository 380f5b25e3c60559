package dev.meridian.storage.memory;

import dev.meridian.storage.BatchOp;
import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.EngineLimits;
import dev.meridian.storage.EngineSnapshot;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.StorageException;
import dev.meridian.storage.WriteBatch;
import dev.meridian.storage.WriteBatchCodec;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@link Engine} held in memory, for the deterministic simulator and fast tests. It passes the
 * same contract suite as the RocksDB engine.
 *
 * <p>Every key holds a chain of versions stamped with the sequence number of the batch that wrote
 * it. A batch is installed under the write lock with one new sequence number and becomes visible
 * all at once when {@link #visibleSeq} is published, which makes batches atomic. Snapshots and
 * iterators read at the sequence number visible when they were created; versions that no open
 * reader can see are pruned when their key is next written.
 */
public final class InMemoryEngine implements Engine {

    /** One version of a key; {@code value == null} is a deletion. */
    private record Version(long seq, byte[] value, Version older) {
    }

    private final EngineLimits limits;
    private final ConcurrentSkipListMap<byte[], Version>[] spaces;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile long visibleSeq;
    private volatile boolean closed;

    // Sequence numbers pinned by open snapshots and iterators, with their reference counts.
    private final Object pinLock = new Object();
    private final TreeMap<Long, Integer> pinnedLocked = new TreeMap<>();

    public InMemoryEngine() {
        this(EngineLimits.DEFAULT);
    }

    @SuppressWarnings("unchecked")
    public InMemoryEngine(EngineLimits limits) {
        this.limits = limits;
        this.spaces = new ConcurrentSkipListMap[KeySpace.values().length];
        for (int i = 0; i < spaces.length; i++) {
            spaces[i] = new ConcurrentSkipListMap<>(Source.ORDER);
        }
    }

    @Override
    public byte[] get(KeySpace space, byte[] key) {
        checkOpen();
        // The chain is read before the sequence number: a write prunes only versions hidden by a
        // newer one at or below the sequence visible when it ran, so reading the sequence
        // afterwards always finds the version it needs. The other order could read a chain
        // pruned by two later batches and miss a key that exists.
        Version chain = spaces[space.ordinal()].get(key);
        byte[] v = visible(chain, visibleSeq);
        return v == null ? null : v.clone();
    }

    @Override
    public EngineIterator iterator(KeySpace space, byte[] lowerBound, byte[] upperBound) {
        checkOpen();
        long seq = pin();
        return new SourceIterator(viewAt(space, seq), lowerBound, upperBound, this::checkOpen, () -> unpin(seq));
    }

    @Override
    public WriteBatch newWriteBatch() {
        checkOpen();
        return new ListBatch(limits, this);
    }

    @Override
    public ReadWriteBatch newReadWriteBatch() {
        checkOpen();
        return new OverlayBatch(this, limits);
    }

    @Override
    public void write(WriteBatch batch, Durability durability) {
        checkOpen();
        if (!(batch instanceof ListBatch list) || !list.belongsTo(this)) {
            throw new IllegalArgumentException("batch was not created by this engine");
        }
        list.checkOpen();
        apply(list.ops());
    }

    @Override
    public void writeEncoded(byte[] encodedBatch, Durability durability) {
        checkOpen();
        var ops = WriteBatchCodec.decode(encodedBatch);
        for (BatchOp op : ops) {
            limits.checkKey(op.key());
            if (op.kind() == BatchOp.Kind.PUT) {
                limits.checkValue(op.value());
            } else if (op.kind() == BatchOp.Kind.DELETE_RANGE) {
                limits.checkKey(op.value());
            }
        }
        apply(ops);
    }

    @Override
    public EngineSnapshot newSnapshot() {
        checkOpen();
        long seq = pin();
        return new EngineSnapshot() {
            private boolean released;

            @Override
            public byte[] get(KeySpace space, byte[] key) {
                checkUsable();
                byte[] v = visible(spaces[space.ordinal()].get(key), seq);
                return v == null ? null : v.clone();
            }

            @Override
            public EngineIterator iterator(KeySpace space, byte[] lowerBound, byte[] upperBound) {
                checkUsable();
                long again = pinExactly(seq);
                return new SourceIterator(viewAt(space, again), lowerBound, upperBound, InMemoryEngine.this::checkOpen,
                        () -> unpin(again));
            }

            @Override
            public void close() {
                if (!released) {
                    released = true;
                    unpin(seq);
                }
            }

            private void checkUsable() {
                checkOpen();
                if (released) {
                    throw new StorageException("snapshot is closed");
                }
            }
        };
    }

    @Override
    public long approximateSize(KeySpace space, byte[] start, byte[] end) {
        checkOpen();
        if (Source.ORDER.compare(start, end) >= 0) {
            return 0;
        }
        long seq = visibleSeq;
        long total = 0;
        for (Map.Entry<byte[], Version> e : spaces[space.ordinal()].subMap(start, true, end, false).entrySet()) {
            byte[] v = visible(e.getValue(), seq);
            if (v != null) {
                total += e.getKey().length + v.length;
            }
        }
        return total;
    }

    @Override
    public EngineLimits limits() {
        return limits;
    }

    @Override
    public void close() {
        closed = true;
    }

    // ---- internals -------------------------------------------------------------------------

    private void apply(Iterable<BatchOp> ops) {
        writeLock.lock();
        try {
            long seq = visibleSeq + 1;
            long keepFrom = oldestNeededSeq();
            for (BatchOp op : ops) {
                ConcurrentSkipListMap<byte[], Version> map = spaces[op.space().ordinal()];
                switch (op.kind()) {
                    case PUT -> install(map, op.key().clone(), op.value().clone(), seq, keepFrom);
                    case DELETE -> install(map, op.key().clone(), null, seq, keepFrom);
                    case DELETE_RANGE -> {
                        if (Source.ORDER.compare(op.key(), op.value()) < 0) {
                            for (byte[] k : map.subMap(op.key(), true, op.value(), false).keySet()) {
                                install(map, k, null, seq, keepFrom);
                            }
                        }
                    }
                }
            }
            visibleSeq = seq;
        } finally {
            writeLock.unlock();
        }
    }

    private static void install(ConcurrentSkipListMap<byte[], Version> map, byte[] key, byte[] value,
                                long seq, long keepFrom) {
        Version head = map.get(key);
        Version chain = new Version(seq, value, prune(head, keepFrom));
        if (value == null && chain.older() == null && seq <= keepFrom) {
            map.remove(key);
        } else {
            map.put(key, chain);
        }
    }

    /**
     * Drops the versions that no reader can see: everything older than the newest version at or
     * below {@code keepFrom}, the oldest sequence number any open reader (or a new one) reads at.
     */
    private static Version prune(Version v, long keepFrom) {
        if (v == null) {
            return null;
        }
        if (v.seq() <= keepFrom) {
            return v.value() == null ? null : new Version(v.seq(), v.value(), null);
        }
        Version older = prune(v.older(), keepFrom);
        return older == v.older() ? v : new Version(v.seq(), v.value(), older);
    }

    private long oldestNeededSeq() {
        synchronized (pinLock) {
            return pinnedLocked.isEmpty() ? visibleSeq : Math.min(pinnedLocked.firstKey(), visibleSeq);
        }
    }

    private long pin() {
        synchronized (pinLock) {
            long seq = visibleSeq;
            pinnedLocked.merge(seq, 1, Integer::sum);
            return seq;
        }
    }

    private long pinExactly(long seq) {
        synchronized (pinLock) {
            pinnedLocked.merge(seq, 1, Integer::sum);
            return seq;
        }
    }

    private void unpin(long seq) {
        synchronized (pinLock) {
            pinnedLocked.computeIfPresent(seq, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    private static byte[] visible(Version v, long seq) {
        while (v != null && v.seq() > seq) {
            v = v.older();
        }
        return v == null ? null : v.value();
    }

    /** The key space as of sequence number {@code seq}; deleted and not-yet-written keys are skipped. */
    Source viewAt(KeySpace space, long seq) {
        ConcurrentNavigableMap<byte[], Version> map = spaces[space.ordinal()];
        return new Source() {
            @Override
            public Entry ceiling(byte[] key) {
                return forward(map.ceilingEntry(key));
            }

            @Override
            public Entry higher(byte[] key) {
                return forward(map.higherEntry(key));
            }

            @Override
            public Entry floor(byte[] key) {
                return backward(map.floorEntry(key));
            }

            @Override
            public Entry lower(byte[] key) {
                return backward(map.lowerEntry(key));
            }

            @Override
            public Entry first() {
                return forward(map.firstEntry());
            }

            @Override
            public Entry last() {
                return backward(map.lastEntry());
            }

            private Entry forward(Map.Entry<byte[], Version> e) {
                while (e != null) {
                    byte[] v = visible(e.getValue(), seq);
                    if (v != null) {
                        return new Entry(e.getKey(), v);
                    }
                    e = map.higherEntry(e.getKey());
                }
                return null;
            }

            private Entry backward(Map.Entry<byte[], Version> e) {
                while (e != null) {
                    byte[] v = visible(e.getValue(), seq);
                    if (v != null) {
                        return new Entry(e.getKey(), v);
                    }
                    e = map.lowerEntry(e.getKey());
                }
                return null;
            }
        };
    }

    long pinForBatch() {
        return pin();
    }

    void unpinForBatch(long seq) {
        unpin(seq);
    }

    void checkOpen() {
        if (closed) {
            throw new StorageException("engine is closed");
        }
    }
}
