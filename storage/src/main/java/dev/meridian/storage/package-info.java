/**
 * The storage engine: an ordered byte key-value store with separate key spaces, atomic batches
 * and snapshots. It knows nothing of ranges, Raft or transactions (BRIEF.md).
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Keys compare as unsigned bytes, lexicographically, in every implementation. The key
 *       encodings of {@code storage.encoding} and {@code storage.mvcc} rely on it to make byte
 *       order equal SQL order and newest-version-first order.</li>
 *   <li>A batch is atomic: a reader (engine, snapshot or iterator) sees all of it or none of it.
 *       Replicas rely on it to apply a Raft command's data, applied index and statistics
 *       together.</li>
 *   <li>{@link dev.meridian.storage.WriteBatch#encode()} is engine-independent: the leaseholder's
 *       batch is applied byte-for-byte by every replica, whatever engine it runs.</li>
 *   <li>{@link dev.meridian.storage.Durability#SYNCED} writes survive a machine crash once
 *       {@code write} returns; an acknowledged write is never lost.</li>
 *   <li>Keys and values over {@link dev.meridian.storage.EngineLimits} are refused before
 *       anything is written.</li>
 * </ul>
 *
 * <p>HAZARD: the portable batch encoding ({@link dev.meridian.storage.WriteBatchCodec}) is
 * written into Raft logs, so it is an on-disk format: change it only with a new version byte
 * and a decoder for the old one.
 */
package dev.meridian.storage;
