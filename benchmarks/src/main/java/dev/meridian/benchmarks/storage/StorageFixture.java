package dev.meridian.benchmarks.storage;

import dev.meridian.storage.Durability;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.mvcc.Mvcc;
import dev.meridian.storage.mvcc.MvccStats;
import dev.meridian.storage.mvcc.Timestamp;
import dev.meridian.storage.mvcc.WriteOptions;
import dev.meridian.storage.mvcc.WriteResult;
import dev.meridian.storage.rocksdb.RocksDbConfig;
import dev.meridian.storage.rocksdb.RocksDbEngine;
import io.opentelemetry.api.OpenTelemetry;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Two stores with the same data: Meridian's RocksDB engine holding MVCC versions, and a raw
 * RocksDB database holding plain key-value pairs, both with bloom filters, a 256 MiB LRU block
 * cache, LZ4 compression and the WAL on.
 */
@State(Scope.Benchmark)
public class StorageFixture {
    static final long PRELOADED_KEYS = 200_000;
    static final int SCAN_ROWS = 1_000;
    static final int VALUE_BYTES = 128;
    static final long CACHE_BYTES = 256L << 20;
    static final Timestamp READ_TS = Timestamp.ofWall(Long.MAX_VALUE / 2);
    static final byte[] KEY_SPACE_END = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

    final byte[] value = new byte[VALUE_BYTES];
    final MvccStats stats = new MvccStats();
    RocksDbEngine engine;
    RocksDB raw;
    org.rocksdb.WriteOptions rawWriteOptions;
    private Options rawOptions;
    private LRUCache rawCache;
    private Path dir;

    /** A 16-byte key; consecutive numbers land far apart, so writes are not append-only. */
    static byte[] key(long n) {
        long mixed = mix(n);
        byte[] k = new byte[16];
        k[0] = 'u';
        k[1] = 's';
        k[2] = 'e';
        k[3] = 'r';
        for (int i = 0; i < 8; i++) {
            k[4 + i] = (byte) (mixed >>> (56 - 8 * i));
        }
        k[12] = (byte) (n >>> 24);
        k[13] = (byte) (n >>> 16);
        k[14] = (byte) (n >>> 8);
        k[15] = (byte) n;
        return k;
    }

    static Timestamp writeTimestamp(long n) {
        return Timestamp.ofWall(1_000 + n);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    @Setup(Level.Trial)
    public void open() throws IOException, RocksDBException {
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 31);
        }
        dir = Files.createTempDirectory("meridian-bench");
        engine = RocksDbEngine.open(dir.resolve("mvcc"), RocksDbConfig.DEFAULT.withBlockCacheBytes(CACHE_BYTES),
                OpenTelemetry.noop());
        openRaw(dir.resolve("raw"));
        load();
    }

    private void openRaw(Path path) throws RocksDBException {
        RocksDB.loadLibrary();
        rawCache = new LRUCache(CACHE_BYTES);
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(rawCache)
                .setFilterPolicy(new BloomFilter(10, false));
        rawOptions = new Options().setCreateIfMissing(true)
                .setTableFormatConfig(table)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
        raw = RocksDB.open(rawOptions, path.toString());
        rawWriteOptions = new org.rocksdb.WriteOptions().setSync(false);
    }

    private void load() throws RocksDBException {
        final int chunk = 1_000;
        for (long start = 0; start < PRELOADED_KEYS; start += chunk) {
            try (ReadWriteBatch batch = engine.newReadWriteBatch(); WriteBatch rawBatch = new WriteBatch()) {
                for (long n = start; n < start + chunk; n++) {
                    WriteResult r = Mvcc.put(batch, stats, key(n), value, WriteOptions.at(writeTimestamp(n)));
                    if (r.status() != WriteResult.Status.OK) {
                        throw new IllegalStateException("preload failed: " + r);
                    }
                    rawBatch.put(key(n), value);
                }
                engine.write(batch, Durability.UNSYNCED);
                raw.write(rawWriteOptions, rawBatch);
            }
        }
        engine.flush();
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            raw.flush(fo);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        engine.close();
        raw.close();
        rawWriteOptions.close();
        rawOptions.close();
        rawCache.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
