/**
 * The in-memory {@link dev.meridian.storage.Engine}, for the deterministic simulator and fast
 * tests; it passes the same contract suite as the RocksDB engine.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>A batch becomes visible at once, when its sequence number is published; readers read at
 *       a sequence number (pinned for snapshots and iterators), which makes batches atomic.</li>
 *   <li>A write prunes only versions that no pinned reader and no new reader can see.</li>
 *   <li>Batches, iterators and snapshots die with their engine: use after close throws.</li>
 * </ul>
 *
 * <h2>HAZARDS</h2>
 * <ul>
 *   <li>An unpinned read ({@code get}) must read a key's version chain before the visible
 *       sequence number; the other order can miss a key that two later writes pruned.</li>
 *   <li>Deleted keys keep a tombstone until the key is written again; a workload that deletes
 *       many keys it never rewrites grows the maps.</li>
 * </ul>
 */
package dev.meridian.storage.memory;
