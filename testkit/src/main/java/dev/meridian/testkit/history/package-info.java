/**
 * Histories of client operations and the consistency checkers that judge them (TESTING.md,
 * "History format" and "Checkers").
 *
 * <h2>Recording</h2>
 * A workload creates one {@link dev.meridian.testkit.history.HistoryRecorder} with a monotonic
 * clock ({@code System::nanoTime} at the edge, a counter in simulation), gives each client thread
 * a process id from {@code newProcess()}, and around every request calls {@code invoke}, then
 * exactly one of {@code ok} (it happened; carry what was read), {@code fail} (it certainly did not
 * happen) or {@code info} (unknown: timeout, ambiguous commit). After {@code info} the process is
 * retired and the client takes a new id. {@code history()} returns the events so far.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Event order is the order of {@link dev.meridian.testkit.history.Op#index()}. The
 *       recorder reads the clock under its lock, so times never decrease along indices; checkers
 *       use indices, not times, for "before".</li>
 *   <li>Each process is sequential; completions match their invocation's function; a retired
 *       process never invokes again. {@link dev.meridian.testkit.history.History} rejects a
 *       history that breaks this.</li>
 *   <li>An invocation without completion (the run ended) counts as info.</li>
 * </ul>
 *
 * <h2>Text format</h2>
 * One event per line, {@code TIME pPROCESS TYPE FUNCTION ARGS}; see
 * {@link dev.meridian.testkit.history.HistoryFormat}. {@code print} and {@code parse} are exact
 * inverses, so a failing history saved with {@code HistoryFormat.write} replays in a test.
 *
 * <h2>Checkers</h2>
 * <ul>
 *   <li>{@link dev.meridian.testkit.history.register.RegisterChecker}: linearizability of
 *       read/write/cas registers, per key.</li>
 *   <li>{@link dev.meridian.testkit.history.bank.BankChecker}: every ok read of all accounts is a
 *       consistent snapshot (all accounts, no null or negative balance, the fixed total).</li>
 *   <li>{@link dev.meridian.testkit.history.append.ListAppendChecker}: Elle-style list-append,
 *       against serializable, strong session serializable or strict serializable.</li>
 * </ul>
 * Every checker is deterministic: the same history gives the same report, byte for byte.
 *
 * <p>HAZARD: a client that reports {@code fail} when it does not know whether a commit happened
 * makes every checker unsound (a lost write looks like a failed one). Report {@code info}.
 */
package dev.meridian.testkit.history;
