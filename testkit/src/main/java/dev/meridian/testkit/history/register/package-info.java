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
 * <p>Before searching, info writes and cas are settled where the history decides them: one
 * whose value nobody observed is dropped (taking effect or not is invisible), and one that is the
 * only writer of a value an ok operation observed must take effect before that observer
 * completed. This relies on workloads writing unique values per key; with repeated values the
 * checker stays correct but slower.
 *
 * <p>HAZARD: the search is exponential in the worst case in the number of concurrently open
 * operations; info operations not settled above stay open to the end of the history. Measured on
 * a 2-core machine: 5,000 operations, 10 processes, 1 to 5 keys, 2% info: 30–700 ms whether the
 * history is linearizable or not.
 */
package dev.meridian.testkit.history.register;
