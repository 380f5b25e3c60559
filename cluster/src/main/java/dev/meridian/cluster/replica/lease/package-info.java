/**
 * Range leases: who may serve reads and evaluate writes for a range, and when. Pure logic: no
 * clock reads, no I/O; the replica layer passes in clock readings and applies the decisions.
 *
 * <h2>Model</h2>
 * A lease names a holder replica and an interval [start, expiration) of HLC time, and carries a
 * sequence that changes with every new holder (and with a holder's renewal after its own lease
 * expired) but not with an extension. Leases change only through Raft: a replica proposes a new
 * lease together with the lease it based it on, and every replica decides at apply time with
 * {@link dev.meridian.cluster.replica.lease.Leases#checkApply}.
 *
 * <h2>Invariants, and where they are relied on</h2>
 * <ul>
 *   <li><b>No overlap.</b> The intervals during which two different holders may serve never
 *       overlap: a new lease starts at or after the current expiration, unless the current
 *       holder itself proposed a transfer, in which case the current holder stops serving at
 *       the new start. Reads served without consensus and the timestamp cache rely on it.</li>
 *   <li><b>Stasis.</b> A holder serves only while now &lt; expiration - max-offset (state
 *       VALID). A reader at timestamp T treats (T, T + max-offset] as uncertain; stopping
 *       max-offset early keeps the next holder's writes, which start at or after expiration,
 *       inside the uncertainty window of every read the old holder served.</li>
 *   <li><b>Compare-and-set.</b> A proposal applies only if the lease it was based on is still
 *       the lease, so two concurrent requests cannot both win, and an extension that races a
 *       transfer loses.</li>
 * </ul>
 *
 * <h2>HAZARD</h2>
 * The transfer rule trusts the proposer node: a holder that proposes a transfer at {@code now}
 * must already have stopped serving at or above {@code now}. A node that restarts must not
 * propose a transfer of a lease it held before the restart until its clock is past everything
 * it may have served (wait out max-offset), or the promise is empty.
 */
package dev.meridian.cluster.replica.lease;
