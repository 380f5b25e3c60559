package dev.meridian.storage.rocksdb;

import dev.meridian.storage.EngineLimits;

/**
 * How a {@link RocksDbEngine} is tuned. Every column family (one per key space) gets the same
 * table settings; the block cache is one LRU cache shared by all of them.
 *
 * @param sharedBlockCache   a cache shared with other engines of this process, or {@code null}
 *                           for a cache of {@code blockCacheBytes} owned by this engine
 * @param blockCacheBytes    size of the engine's own block cache when no shared one is given
 *                           (default 64 MiB)
 * @param bloomBitsPerKey    bloom filter bits per key; 10 gives about 1% false positives
 *                           (default 10); 0 disables the filter
 * @param compression        block compression (default LZ4 on upper levels, ZSTD bottommost)
 * @param writeBufferBytes   memtable size per column family before it is flushed (default 64 MiB)
 * @param maxBackgroundJobs  flush and compaction threads (default 2, the size of a small machine)
 * @param limits             largest accepted key and value (default {@link EngineLimits#DEFAULT})
 */
public record RocksDbConfig(
        RocksDbBlockCache sharedBlockCache,
        long blockCacheBytes,
        int bloomBitsPerKey,
        Compression compression,
        long writeBufferBytes,
        int maxBackgroundJobs,
        EngineLimits limits) {

    /** Block compression choices. */
    public enum Compression {
        /** LZ4 on every level but the last, ZSTD on the bottommost level where most data lives. */
        LZ4_THEN_ZSTD,
        /** No compression; for tests and for data that does not compress. */
        NONE
    }

    public static final RocksDbConfig DEFAULT = new RocksDbConfig(
            null, 64L << 20, 10, Compression.LZ4_THEN_ZSTD, 64L << 20, 2, EngineLimits.DEFAULT);

    public RocksDbConfig {
        if (blockCacheBytes <= 0 || writeBufferBytes <= 0 || maxBackgroundJobs <= 0 || bloomBitsPerKey < 0) {
            throw new IllegalArgumentException("invalid RocksDB config: cache=" + blockCacheBytes
                    + " writeBuffer=" + writeBufferBytes + " jobs=" + maxBackgroundJobs + " bloom=" + bloomBitsPerKey);
        }
        if (compression == null || limits == null) {
            throw new IllegalArgumentException("compression and limits are required");
        }
    }

    public RocksDbConfig withSharedBlockCache(RocksDbBlockCache cache) {
        return new RocksDbConfig(cache, blockCacheBytes, bloomBitsPerKey, compression, writeBufferBytes,
                maxBackgroundJobs, limits);
    }

    public RocksDbConfig withBlockCacheBytes(long bytes) {
        return new RocksDbConfig(sharedBlockCache, bytes, bloomBitsPerKey, compression, writeBufferBytes,
                maxBackgroundJobs, limits);
    }

    public RocksDbConfig withWriteBufferBytes(long bytes) {
        return new RocksDbConfig(sharedBlockCache, blockCacheBytes, bloomBitsPerKey, compression, bytes,
                maxBackgroundJobs, limits);
    }

    public RocksDbConfig withCompression(Compression c) {
        return new RocksDbConfig(sharedBlockCache, blockCacheBytes, bloomBitsPerKey, c, writeBufferBytes,
                maxBackgroundJobs, limits);
    }

    public RocksDbConfig withLimits(EngineLimits l) {
        return new RocksDbConfig(sharedBlockCache, blockCacheBytes, bloomBitsPerKey, compression, writeBufferBytes,
                maxBackgroundJobs, l);
    }
}
