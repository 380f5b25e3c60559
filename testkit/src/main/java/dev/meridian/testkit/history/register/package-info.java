/**
 * Linearizability of read/write/compare-and-set registers (Wing–Gong search with Lowe's
 * memoization on (operations taken effect, register value)), checked per key.
 *
 * <p>Proves: when valid, there is a total order of the ok operations (plus any subset of the
 * info writes and cas, each placed after its invocation) that respects real time and register
 * semantics. Catches stale reads, reads of values never written, lost writes, impossible
 * compare-and-sets and writes seen out of order. Does not prove anything about operations
 * across keys (use list-append for transactions), nor about fail operations (dropped: the client
 * asserted they did not happen).
 *
 * <p>On failure the witness is the ok operation that could be linearized least far into the
 * history, with the values the register could hold at that point.
 *
 * <p>HAZARD: the search is exponential in the worst case in the number of concurrently open
 * operations, and info operations stay open to the end; a run with many info writes on one key
 * can be slow. Keep keys many and info rare, or check shorter histories.
 */
package dev.meridian.testkit.history.register;
