/**
 * The leaseholder's timestamp cache: for spans of keys, the highest timestamp at which they were
 * read, and by which transaction. Pure logic: no clock, no I/O, no metrics; the replica calls
 * {@link dev.meridian.cluster.replica.tscache.TimestampCache} under its own lock and counts.
 *
 * <h2>Why</h2>
 * Reads on the leaseholder leave no trace in storage. Without a record of them a later write
 * could land below a read of the same key, and the read would stop being repeatable: the
 * history would not be serializable. So before a write at timestamp W to key k is evaluated,
 * the replica asks the cache for max(k) = (T, owner) and pushes the write to T.next() if
 * W &lt;= T, unless the owner is the writing transaction itself (its own reads do not conflict
 * with its own writes, so W &gt;= T is enough then). A pushed transaction refreshes its reads or
 * retries (BRIEF.md, "Transactions").
 *
 * <h2>Invariants, and where they are relied on</h2>
 * <ul>
 *   <li><b>Never under-estimate.</b> For every key, the cached timestamp is at least the
 *       highest read added since the cache was made (and at least the low-water mark). It may
 *       be higher: forgetting intervals to bound memory raises the low-water mark to the
 *       highest timestamp forgotten. A too-high answer only pushes a write further than needed;
 *       a too-low one would let a write slip under a read. The write path relies on it.</li>
 *   <li><b>Never over-claim an owner.</b> An owner is reported only when exactly that
 *       transaction holds the maximum: a read without a transaction, a read of another
 *       transaction at the same timestamp, or the low-water mark at that timestamp each make the
 *       owner null. Otherwise a transaction could write at T over another's read at T. When the
 *       answer is too high (after eviction) the owner may be lost, which is safe in the same
 *       way: the write is pushed above T.</li>
 *   <li><b>Exact without eviction.</b> As long as nothing was forgotten, answers equal the
 *       maximum over the reads added and the low-water mark; tests check this against a list of
 *       every read.</li>
 * </ul>
 *
 * <h2>HAZARD</h2>
 * The cache lives only in the leaseholder's memory: a new leaseholder knows nothing of the reads
 * its predecessor served. It must call
 * {@link dev.meridian.cluster.replica.tscache.TimestampCache#raiseLowWater} with the start of
 * its lease before it evaluates a write; lease intervals never overlap, so every read the old
 * holder served is below that start. Skipping this, or creating a cache with a lower mark, lets
 * writes land below reads that were already answered.
 */
package dev.meridian.cluster.replica.tscache;
