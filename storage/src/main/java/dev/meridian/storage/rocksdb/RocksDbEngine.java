package dev.meridian.storage.rocksdb;

import dev.meridian.storage.BatchOp;
import dev.meridian.storage.CorruptionException;
import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.EngineLimits;
import dev.meridian.storage.EngineSnapshot;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.StorageException;
import dev.meridian.storage.StoreOpenException;
import dev.meridian.storage.WriteBatch;
import dev.meridian.storage.WriteBatchCodec;
import io.opentelemetry.api.OpenTelemetry;
import org.rocksdb.AbstractNativeReference;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.Range;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SizeApproximationFlag;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.Status;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The {@link Engine} nodes run: RocksDB with one column family per {@link KeySpace}, the
 * write-ahead log on, and one block cache shared by every column family.
 *
 * <p>Open a store with {@link #open}. The directory must be empty or missing (a new store is
 * created) or hold a Meridian store of this build's format version; anything else is refused
 * with a {@link StoreOpenException} and nothing on disk is changed.
 *
 * <p>Every native call runs under the engine's guard, so using the engine, or an iterator,
 * snapshot or batch of it, after {@link #close()} throws {@link StorageException} instead of
 * touching freed memory.
 */
public final class RocksDbEngine implements Engine {
    static {
        RocksDB.loadLibrary();
    }

    private static final String DEFAULT_FAMILY = "default";

    private final Path dir;
    private final EngineLimits limits;
    private final EngineMetrics metrics;
    private final EngineGuard guard = new EngineGuard();
    private final StoreDirectory storeDirectory;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyHandle[] handles;
    private final List<ColumnFamilyHandle> allHandles;
    private final List<AbstractNativeReference> ownedOptions;
    /**
     * Every read but the one-prefix ones below: in key order across prefixes. Needed since the
     * MVCC family has a prefix extractor, which would otherwise make seeks prefix-only.
     */
    private final ReadOptions readOptions = new ReadOptions().setTotalOrderSeek(true);
    /** Reads bounded within one MVCC prefix: prefix bloom filters may skip memtables and files. */
    private final ReadOptions prefixReadOptions = new ReadOptions().setTotalOrderSeek(false).setPrefixSameAsStart(true);
    // Two idle iterators per key space and core is plenty for the evaluating threads of a node.
    private final IteratorPool iteratorPool = new IteratorPool(2 * Runtime.getRuntime().availableProcessors());
    private final WriteOptions syncedWrites = new WriteOptions().setSync(true);
    private final WriteOptions unsyncedWrites = new WriteOptions().setSync(false);

    private RocksDbEngine(Path dir, RocksDbConfig config, OpenTelemetry otel, StoreDirectory storeDirectory,
                          Opened opened) {
        this.dir = dir;
        this.limits = config.limits();
        this.metrics = new EngineMetrics(otel);
        this.storeDirectory = storeDirectory;
        this.db = opened.db;
        this.dbOptions = opened.dbOptions;
        this.handles = opened.handles;
        this.allHandles = opened.allHandles;
        this.ownedOptions = opened.ownedOptions;
        guard.register(iteratorPool);
    }

    /** The native objects of an opened database, handed to the constructor. */
    private record Opened(RocksDB db, DBOptions dbOptions, ColumnFamilyHandle[] handles,
                          List<ColumnFamilyHandle> allHandles, List<AbstractNativeReference> ownedOptions) {
    }

    /**
     * Opens the store in {@code dir}, creating it if the directory is empty or missing.
     *
     * @throws StoreOpenException if the directory is not a Meridian store, has another format
     *                            version, is damaged, is in use, or RocksDB refuses to open it
     */
    public static RocksDbEngine open(Path dir, RocksDbConfig config, OpenTelemetry otel) {
        Path absolute = dir.toAbsolutePath();
        StoreDirectory storeDirectory = StoreDirectory.prepare(absolute);
        try {
            Opened opened = openDatabase(absolute, config, storeDirectory.isNew());
            return new RocksDbEngine(absolute, config, otel, storeDirectory, opened);
        } catch (RuntimeException e) {
            storeDirectory.close();
            throw e;
        }
    }

    /** Opens with {@link RocksDbConfig#DEFAULT} and no telemetry. */
    public static RocksDbEngine open(Path dir) {
        return open(dir, RocksDbConfig.DEFAULT, OpenTelemetry.noop());
    }

    private static Opened openDatabase(Path dir, RocksDbConfig config, boolean isNew) {
        List<AbstractNativeReference> owned = new ArrayList<>();
        try {
            ColumnFamilyOptions cfOptions = columnFamilyOptions(config, owned);
            ColumnFamilyOptions mvccOptions = mvccFamilyOptions(config, owned);
            DBOptions dbOptions = new DBOptions()
                    .setCreateIfMissing(isNew)
                    .setCreateMissingColumnFamilies(true)
                    .setMaxBackgroundJobs(config.maxBackgroundJobs());
            owned.add(dbOptions);
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (String name : familyNames(dir, isNew)) {
                descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8),
                        name.equals(KeySpace.MVCC.columnFamilyName()) ? mvccOptions : cfOptions));
            }
            List<ColumnFamilyHandle> all = new ArrayList<>();
            RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, all);
            ColumnFamilyHandle[] handles = new ColumnFamilyHandle[KeySpace.values().length];
            for (int i = 0; i < descriptors.size(); i++) {
                String name = new String(descriptors.get(i).getName(), StandardCharsets.UTF_8);
                for (KeySpace space : KeySpace.values()) {
                    if (space.columnFamilyName().equals(name)) {
                        handles[space.ordinal()] = all.get(i);
                    }
                }
            }
            return new Opened(db, dbOptions, handles, all, owned);
        } catch (RocksDBException e) {
            closeAll(owned);
            boolean corrupt = e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption;
            throw new StoreOpenException(corrupt ? StoreOpenException.Reason.CORRUPT : StoreOpenException.Reason.IO,
                    dir, "RocksDB refused to open it: " + statusMessage(e), e);
        } catch (RuntimeException e) {
            closeAll(owned);
            throw e;
        }
    }

    /** "default", every key space, and any other family already in the store (RocksDB requires all). */
    private static List<String> familyNames(Path dir, boolean isNew) throws RocksDBException {
        List<String> names = new ArrayList<>();
        names.add(DEFAULT_FAMILY);
        for (KeySpace space : KeySpace.values()) {
            names.add(space.columnFamilyName());
        }
        if (!isNew) {
            try (Options options = new Options()) {
                for (byte[] existing : RocksDB.listColumnFamilies(options, dir.toString())) {
                    String name = new String(existing, StandardCharsets.UTF_8);
                    if (!names.contains(name)) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    /**
     * Bytes of the prefix that MVCC bloom filters also index (capped: a shorter key is its own
     * prefix). All entries of a user key share their first {@code escape(key).length + 2}
     * bytes, so for user keys of at least {@code MVCC_PREFIX_BYTES - 1} bytes the check every
     * MVCC write makes (a seek over the key's lock record and versions) can skip each memtable
     * and SST file whose filter lacks the prefix; a seek, unlike a get, cannot use whole-key
     * filters. Shorter keys, and scans across keys, read in total order as before.
     */
    static final int MVCC_PREFIX_BYTES = 8;

    private static ColumnFamilyOptions mvccFamilyOptions(RocksDbConfig config, List<AbstractNativeReference> owned) {
        return columnFamilyOptions(config, owned)
                .useCappedPrefixExtractor(MVCC_PREFIX_BYTES)
                .setMemtablePrefixBloomSizeRatio(0.1);
    }

    /**
     * Whether every key of {@code [lower, upper)} has the same capped prefix, so that a prefix
     * mode iterator reads exactly what a total order one would: both bounds have the full
     * prefix length and share those bytes, so every key between them starts with them too.
     */
    static boolean withinOnePrefix(byte[] lower, byte[] upper) {
        return lower != null && upper != null && lower.length >= MVCC_PREFIX_BYTES && upper.length >= MVCC_PREFIX_BYTES
                && Arrays.equals(lower, 0, MVCC_PREFIX_BYTES, upper, 0, MVCC_PREFIX_BYTES);
    }

    private static ColumnFamilyOptions columnFamilyOptions(RocksDbConfig config, List<AbstractNativeReference> owned) {
        Cache cache;
        if (config.sharedBlockCache() != null) {
            cache = config.sharedBlockCache().nativeCache();
        } else {
            cache = new LRUCache(config.blockCacheBytes());
            owned.add(cache);
        }
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
        if (config.bloomBitsPerKey() > 0) {
            BloomFilter bloom = new BloomFilter(config.bloomBitsPerKey(), false);
            owned.add(bloom);
            table.setFilterPolicy(bloom);
        }
        ColumnFamilyOptions cf = new ColumnFamilyOptions()
                .setTableFormatConfig(table)
                .setWriteBufferSize(config.writeBufferBytes())
                .setLevelCompactionDynamicLevelBytes(true);
        owned.add(cf);
        if (config.compression() == RocksDbConfig.Compression.LZ4_THEN_ZSTD) {
            cf.setCompressionType(CompressionType.LZ4_COMPRESSION);
            cf.setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
        } else {
            cf.setCompressionType(CompressionType.NO_COMPRESSION);
            cf.setBottommostCompressionType(CompressionType.NO_COMPRESSION);
        }
        return cf;
    }

    // ---- reads -------------------------------------------------------------------------------

    @Override
    public byte[] get(KeySpace space, byte[] key) {
        guard.enter();
        try {
            metrics.get();
            return db.get(handle(space), readOptions, key);
        } catch (RocksDBException e) {
            throw storageError("get", e, key);
        } finally {
            guard.exit();
        }
    }

    @Override
    public EngineIterator iterator(KeySpace space, byte[] lowerBound, byte[] upperBound) {
        return pooledIterator(space, lowerBound, upperBound, false);
    }

    /** An MVCC probe bounded within one prefix reads in prefix mode, so that filters can skip files. */
    @Override
    public EngineIterator probe(KeySpace space, byte[] lowerBound, byte[] upperBound) {
        return pooledIterator(space, lowerBound, upperBound, true);
    }

    private EngineIterator pooledIterator(KeySpace space, byte[] lowerBound, byte[] upperBound, boolean probe) {
        guard.enter();
        try {
            return openPooledIteratorLocked(space, lowerBound, upperBound, probe);
        } finally {
            guard.exit();
        }
    }

    /**
     * An iterator over the live engine built on a pooled native iterator (refreshed, so it sees
     * the engine as of now, exactly like a new one). The bounds are enforced by
     * {@link RocksDbIterator}, not natively. Call with the guard held.
     */
    RocksDbIterator openPooledIteratorLocked(KeySpace space, byte[] lower, byte[] upper, boolean probe) {
        metrics.iteratorOpened();
        boolean prefixMode = probe && space == KeySpace.MVCC && withinOnePrefix(lower, upper);
        int slot = IteratorPool.slot(space, prefixMode);
        RocksIterator it = iteratorPool.borrow(slot);
        if (it == null) {
            it = db.newIterator(handle(space), prefixMode ? prefixReadOptions : readOptions);
        } else {
            try {
                it.refresh();
            } catch (RocksDBException e) {
                it.close();
                throw storageError("iterator refresh", e);
            }
        }
        return new RocksDbIterator(guard, it, List.of(), lower, upper, null, () -> { },
                pooled -> iteratorPool.giveBack(slot, pooled));
    }

    /** An iterator over the live engine, or {@code snapshot} if given. Call with the guard held. */
    RocksDbIterator openIteratorLocked(KeySpace space, byte[] lower, byte[] upper, Snapshot snapshot,
                                       Runnable onRelease) {
        List<AbstractNativeReference> owned = boundedReadOptions(lower, upper);
        ReadOptions options = (ReadOptions) owned.get(0);
        if (snapshot != null) {
            options.setSnapshot(snapshot);
        }
        metrics.iteratorOpened();
        RocksIterator it = db.newIterator(handle(space), options);
        return new RocksDbIterator(guard, it, owned, lower, upper, null, onRelease);
    }

    /**
     * An iterator over {@code batch} laid over the live engine, skipping keys {@code hidden}
     * (may be null) rejects. Call with the guard held.
     */
    RocksDbIterator openMergedIteratorLocked(KeySpace space, byte[] lower, byte[] upper,
                                             WriteBatchWithIndex batch, Predicate<byte[]> hidden,
                                             Runnable onRelease) {
        List<AbstractNativeReference> owned = boundedReadOptions(lower, upper);
        ReadOptions options = (ReadOptions) owned.get(0);
        metrics.iteratorOpened();
        ColumnFamilyHandle cf = handle(space);
        // The batch side is left unbounded natively; RocksDbIterator enforces the bounds on both.
        RocksIterator merged = batch.newIteratorWithBase(cf, db.newIterator(cf, options));
        return new RocksDbIterator(guard, merged, owned, lower, upper, hidden, onRelease);
    }

    /** Read options with the bounds set; element 0 is the options, the rest the bound slices. */
    private static List<AbstractNativeReference> boundedReadOptions(byte[] lower, byte[] upper) {
        List<AbstractNativeReference> owned = new ArrayList<>(3);
        ReadOptions options = new ReadOptions().setTotalOrderSeek(true);
        owned.add(options);
        if (lower != null) {
            Slice s = new Slice(lower);
            owned.add(s);
            options.setIterateLowerBound(s);
        }
        if (upper != null) {
            Slice s = new Slice(upper);
            owned.add(s);
            options.setIterateUpperBound(s);
        }
        return owned;
    }

    @Override
    public EngineSnapshot newSnapshot() {
        guard.enter();
        try {
            metrics.snapshotTaken();
            return new RocksDbSnapshot(this, guard);
        } finally {
            guard.exit();
        }
    }

    @Override
    public long approximateSize(KeySpace space, byte[] start, byte[] end) {
        if (Arrays.compareUnsigned(start, end) >= 0) {
            return 0;
        }
        guard.enter();
        try (Slice s = new Slice(start); Slice e = new Slice(end)) {
            long[] sizes = db.getApproximateSizes(handle(space), List.of(new Range(s, e)),
                    SizeApproximationFlag.INCLUDE_MEMTABLES, SizeApproximationFlag.INCLUDE_FILES);
            return sizes.length == 0 ? 0 : sizes[0];
        } finally {
            guard.exit();
        }
    }

    // ---- writes ------------------------------------------------------------------------------

    @Override
    public WriteBatch newWriteBatch() {
        guard.enter();
        try {
            return new RocksDbWriteBatch(this, guard, limits);
        } finally {
            guard.exit();
        }
    }

    @Override
    public ReadWriteBatch newReadWriteBatch() {
        guard.enter();
        try {
            return new RocksDbReadWriteBatch(this, guard, limits);
        } finally {
            guard.exit();
        }
    }

    @Override
    public void write(WriteBatch batch, Durability durability) {
        if (!(batch instanceof RocksDbWriteBatch ours) || ours.engine != this) {
            throw new IllegalArgumentException("batch was not created by this engine");
        }
        guard.enter();
        try {
            ours.checkUsableLocked();
            writeLocked(ours.nativeBatch(), durability, ours.count(), ours.byteSize());
        } finally {
            guard.exit();
        }
    }

    @Override
    public void writeEncoded(byte[] encodedBatch, Durability durability) {
        List<BatchOp> ops = WriteBatchCodec.decode(encodedBatch);
        long bytes = 0;
        for (BatchOp op : ops) {
            limits.checkKey(op.key());
            if (op.kind() == BatchOp.Kind.PUT) {
                limits.checkValue(op.value());
            } else if (op.kind() == BatchOp.Kind.DELETE_RANGE) {
                limits.checkKey(op.value());
            }
            bytes += op.key().length + (op.value() == null ? 0 : op.value().length);
        }
        guard.enter();
        try (org.rocksdb.WriteBatch nativeBatch = new org.rocksdb.WriteBatch()) {
            for (BatchOp op : ops) {
                ColumnFamilyHandle cf = handle(op.space());
                switch (op.kind()) {
                    case PUT -> nativeBatch.put(cf, op.key(), op.value());
                    case DELETE -> nativeBatch.delete(cf, op.key());
                    case DELETE_RANGE -> {
                        if (Arrays.compareUnsigned(op.key(), op.value()) < 0) {
                            nativeBatch.deleteRange(cf, op.key(), op.value());
                        }
                    }
                }
            }
            writeLocked(nativeBatch, durability, ops.size(), bytes);
        } catch (RocksDBException e) {
            throw storageError("encoded batch", e);
        } finally {
            guard.exit();
        }
    }

    private void writeLocked(org.rocksdb.WriteBatch nativeBatch, Durability durability, int ops, long bytes) {
        long started = System.nanoTime();
        try {
            db.write(durability == Durability.SYNCED ? syncedWrites : unsyncedWrites, nativeBatch);
        } catch (RocksDBException e) {
            throw storageError("write", e);
        }
        metrics.batchWritten(durability, ops, bytes, System.nanoTime() - started);
    }

    @Override
    public EngineLimits limits() {
        return limits;
    }

    // ---- RocksDB-specific operations ------------------------------------------------------------

    /** Writes every memtable to SST files (for operators and tests; RocksDB flushes on its own). */
    public void flush() {
        guard.enter();
        try (FlushOptions options = new FlushOptions().setWaitForFlush(true)) {
            db.flush(options, Arrays.asList(handles));
        } catch (RocksDBException e) {
            throw storageError("flush", e);
        } finally {
            guard.exit();
        }
    }

    /** A RocksDB property of a key space's column family, e.g. {@code rocksdb.block-cache-usage}. */
    public String property(KeySpace space, String name) {
        guard.enter();
        try {
            return db.getProperty(handle(space), name);
        } catch (RocksDBException e) {
            throw storageError("property " + name, e);
        } finally {
            guard.exit();
        }
    }

    /** The store directory. */
    public Path directory() {
        return dir;
    }

    @Override
    public void close() {
        guard.closeAll(this::closeDatabase);
    }

    private void closeDatabase() {
        RocksDBException failure = null;
        try {
            // Unsynced writes are in the WAL's buffer; close promises they reach the file.
            db.syncWal();
        } catch (RocksDBException e) {
            failure = e;
        }
        for (ColumnFamilyHandle h : allHandles) {
            h.close();
        }
        try {
            db.closeE();
        } catch (RocksDBException e) {
            failure = failure == null ? e : failure;
        } finally {
            readOptions.close();
            prefixReadOptions.close();
            syncedWrites.close();
            unsyncedWrites.close();
            closeAll(ownedOptions);
            storeDirectory.close();
        }
        if (failure != null) {
            throw storageError("close", failure);
        }
    }

    private static void closeAll(List<AbstractNativeReference> refs) {
        for (int i = refs.size() - 1; i >= 0; i--) {
            refs.get(i).close();
        }
    }

    // ---- for the package -------------------------------------------------------------------------

    ColumnFamilyHandle handle(KeySpace space) {
        return handles[space.ordinal()];
    }

    RocksDB db() {
        return db;
    }

    DBOptions dbOptions() {
        return dbOptions;
    }

    ReadOptions readOptions() {
        return readOptions;
    }

    EngineMetrics metrics() {
        return metrics;
    }

    /**
     * A storage error carrying RocksDB's status message; a {@link CorruptionException} when
     * RocksDB found corrupt data, so that it is never mistaken for an I/O hiccup to retry.
     */
    static StorageException storageError(String operation, RocksDBException e) {
        return storageError(operation, e, null);
    }

    /** As {@link #storageError(String, RocksDBException)}, naming the key being read. */
    static StorageException storageError(String operation, RocksDBException e, byte[] key) {
        if (e.getStatus() != null && e.getStatus().getCode() == Status.Code.Corruption) {
            return new CorruptionException("rocksdb " + operation + " found corrupt data: " + statusMessage(e), key, e);
        }
        return new StorageException("rocksdb " + operation + " failed: " + statusMessage(e), e);
    }

    private static String statusMessage(RocksDBException e) {
        if (e.getStatus() != null && e.getStatus().getState() != null) {
            return e.getStatus().getCodeString() + ": " + e.getStatus().getState();
        }
        return String.valueOf(e.getMessage());
    }
}
