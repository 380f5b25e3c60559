/**
 * Transaction records as deterministic logic: what heartbeats, commits, aborts, pushes and
 * parallel-commit recovery do to the record of a transaction on its anchor range (BRIEF.md,
 * "Transactions"). The replica will evaluate these on the anchor range's leaseholder and write
 * the resulting record through Raft; here they are pure functions of (current record, request,
 * now), so every rule can be tested on its own.
 *
 * <p>Lifecycle: a record is created PENDING by the coordinator's first heartbeat (or by its
 * commit), kept alive by heartbeats, and ends COMMITTED or ABORTED. A parallel commit writes it
 * STAGING with the writes still in flight; the transaction is committed as soon as all of them
 * have succeeded at the staging timestamp, even before anyone says so, and the record becomes
 * COMMITTED when the coordinator (or a recoverer) confirms it.
 *
 * <p>Invariants, and where they are relied on:
 * <ul>
 *   <li>A finalized record (COMMITTED, ABORTED) never changes status. Intent resolution relies
 *       on it: an intent resolved as committed must never be aborted elsewhere.</li>
 *   <li>A record's write timestamp never decreases, and a commit is refused below it: a
 *       transaction pushed above a read (by a higher-priority reader or the timestamp cache)
 *       must refresh its reads at the new timestamp before it commits there, else the read it
 *       was pushed above could miss its writes.</li>
 *   <li>A record that a pusher aborted, or found missing and expired, cannot be brought back:
 *       the pusher writes an ABORTED record, which a late heartbeat or commit meets.</li>
 *   <li>A STAGING record is never pushed or aborted by a pusher: it may already be implicitly
 *       committed. Once it expires, only recovery decides, and recovery may abort only after
 *       making a missing in-flight write impossible at the staging timestamp.</li>
 * </ul>
 */
package dev.meridian.cluster.replica.txnrecord;
