/**
 * Concurrency control on a replica, as deterministic logic: which request may evaluate now,
 * which must wait for which transaction, and who wins a conflict (BRIEF.md, "Transactions").
 *
 * <p>Roles (each a small type, after the shape of CockroachDB's concurrency package):
 * <ul>
 *   <li>span latches ({@code replica.latch}) serialize requests that touch the same keys while
 *       they evaluate; they are held for the length of one evaluation and one Raft round.</li>
 *   <li>{@link dev.meridian.cluster.replica.concurrency.LockTable} tracks the locks that
 *       outlive a request: a transaction's intents (replicated) and its unreplicated locks
 *       ({@code SELECT ... FOR UPDATE}), with a FIFO wait queue per key. Example: transaction A
 *       wrote an intent at {@code a}; B's write to {@code a} scans the table, finds A's lock
 *       and waits; when A commits, the table releases {@code a} and wakes B, which scans again
 *       and proceeds.</li>
 *   <li>{@link dev.meridian.cluster.replica.concurrency.PushPolicy} decides what a waiter
 *       does about the holder: wait, push its timestamp, or abort it.</li>
 *   <li>{@link dev.meridian.cluster.replica.concurrency.WaitForGraph} finds deadlocks among
 *       the waits a replica knows of; one member of a cycle is aborted.</li>
 * </ul>
 *
 * <p>Invariants: a key has at most one lock holder; a request waits on at most one key at a
 * time (it re-scans when woken); a waiter is woken only by the release of the lock it waits on
 * or by leaving the queue of a request ahead of it, never spuriously lost (every release returns
 * the requests to wake). A non-locking read conflicts only with an intent at or below its
 * timestamp: intents above it are invisible to it.
 *
 * <p>Deterministic (BRIEF.md, the determinism rule): no clock, threads or randomness; callers
 * serialize calls (the replica holds its own lock) and do the blocking.
 */
package dev.meridian.cluster.replica.concurrency;
