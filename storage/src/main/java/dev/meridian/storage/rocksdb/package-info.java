/**
 * The RocksDB {@link dev.meridian.storage.Engine}: the store format on disk and the native
 * resources behind it. The public surface is {@link dev.meridian.storage.rocksdb.RocksDbEngine}
 * (the factory), {@link dev.meridian.storage.rocksdb.RocksDbConfig} and
 * {@link dev.meridian.storage.rocksdb.RocksDbBlockCache}; everything else is package-private.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>One column family per {@link dev.meridian.storage.KeySpace}, plus RocksDB's "default";
 *       families already in a store are all opened (RocksDB refuses otherwise). The WAL is
 *       always on; {@code SYNCED} writes fsync it, and closing the engine syncs it.</li>
 *   <li>Every native call runs under the {@code EngineGuard}'s shared hold; closing takes the
 *       exclusive hold and releases every iterator, snapshot and batch before the database. Use
 *       after close therefore throws {@link dev.meridian.storage.StorageException}, never touches
 *       freed memory. Relied on by every class here.</li>
 *   <li>Each iterator owns its read options and bound slices and frees them after the native
 *       iterator. A snapshot is released when it and every iterator opened from it are closed.
 *       A read-through batch's index is copied on write while iterators read it; each copy is
 *       freed when retired and unread.</li>
 *   <li>The store directory ({@code StoreDirectory}) refuses before it writes: an operator's
 *       wrong path is never damaged. The marker is written, fsynced and renamed into place before
 *       RocksDB creates a file; the store lock is our own file, taken before RocksDB opens.</li>
 *   <li>{@code WriteBatch#encode()} is the portable encoding of the operations as added; the
 *       native batch written by {@code Engine#write} holds the same operations.</li>
 * </ul>
 *
 * <h2>HAZARDS</h2>
 * <ul>
 *   <li>Calling {@code key()}/{@code value()} on a native iterator that is not valid, or using a
 *       column family handle with another database, crashes the JVM: {@code RocksDbIterator}
 *       caches the current key and checks validity; {@code write} refuses batches of other
 *       engines.</li>
 *   <li>Bound slices must outlive the iterator that uses them; never close them early.</li>
 *   <li>RocksDB refuses a range deletion with start &gt; end; empty and inverted ranges are kept
 *       in the portable encoding but not given to RocksDB.</li>
 *   <li>RocksDB's indexed batch cannot read through range deletions; the read-through batch
 *       implements them itself (see {@code RocksDbReadWriteBatch}). Do not replace that with
 *       native {@code deleteRange} on the index.</li>
 * </ul>
 */
package dev.meridian.storage.rocksdb;
