package dev.meridian.storage.rocksdb;

import dev.meridian.storage.StorageException;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;

/**
 * An LRU block cache that several column families, and several engines in one process, share:
 * one memory budget for the whole node instead of one per store.
 *
 * <p>The engines that use it hold their own reference to the native cache, so closing this
 * object while engines still run only drops the caller's reference; the memory is freed when the
 * last engine closes.
 */
public final class RocksDbBlockCache implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final LRUCache cache;
    private final long capacityBytes;
    private volatile boolean closed;

    private RocksDbBlockCache(long capacityBytes) {
        this.capacityBytes = capacityBytes;
        this.cache = new LRUCache(capacityBytes);
    }

    /** A new LRU cache of {@code capacityBytes}. */
    public static RocksDbBlockCache lru(long capacityBytes) {
        if (capacityBytes <= 0) {
            throw new IllegalArgumentException("block cache capacity must be positive: " + capacityBytes);
        }
        return new RocksDbBlockCache(capacityBytes);
    }

    public long capacityBytes() {
        return capacityBytes;
    }

    /** Bytes currently held in the cache, by every engine that shares it. */
    public synchronized long usageBytes() {
        checkOpen();
        return cache.getUsage();
    }

    synchronized Cache nativeCache() {
        checkOpen();
        return cache;
    }

    private void checkOpen() {
        if (closed) {
            throw new StorageException("block cache is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            cache.close();
        }
    }
}
