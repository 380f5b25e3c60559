/**
 * Span latches: the short-lived, in-memory locks a replica takes on the keys a request touches
 * while it evaluates the request, so that conflicting requests are evaluated one after the
 * other (BRIEF.md, "Commands are evaluated on the proposer ... under latches").
 *
 * <p>Example: a scan of [a, f) takes a read latch on the range; a put of c takes a write latch
 * on the point c and waits for the scan; a get of c that arrives after the put waits for the put
 * even though it could share with the scan, so a stream of reads cannot starve the writer.
 *
 * <h2>Invariants, and where they are relied on</h2>
 * <ul>
 *   <li><b>Mutual exclusion.</b> Two requests with conflicting spans never hold latches at the
 *       same time. Evaluation relies on it to read and write keys without interference, and the
 *       timestamp cache relies on it to see reads before the writes that follow them.</li>
 *   <li><b>Arrival order.</b> A request waits only for conflicting requests that arrived before
 *       it; the waits-for graph is ordered, so there is no deadlock and no starvation.</li>
 *   <li><b>No trace.</b> A request that times out or is interrupted holds nothing afterwards and
 *       nobody waits for it.</li>
 * </ul>
 *
 * <h2>HAZARD</h2>
 * Latches are not locks of transactions: they are held only while a request is evaluated (and,
 * for writes, until its proposal applies). Holding one across a wait on another request's
 * intent would reintroduce the deadlocks this ordering rules out; the concurrency manager must
 * release latches before it waits in a lock wait-queue.
 */
package dev.meridian.cluster.replica.latch;
