package dev.meridian.cluster.replica.concurrency;

import dev.meridian.cluster.keys.Keys;
import dev.meridian.storage.mvcc.Timestamp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The locks of one range that outlive a request, and the requests waiting for them.
 *
 * <p>Use: a request {@link #scan}s the table before it evaluates. {@link ScanOutcome.Proceed}
 * means no lock of another transaction is in its way; {@link ScanOutcome.Wait} names the key
 * and holder, and the request is now queued there until a {@link #release}, {@link #releaseAll}
 * or {@link #pushed} names it among the requests to wake; woken, it scans again (the holder may
 * be gone, or another request may have taken the lock first). A request leaves the table with
 * {@link #done}. When a write has laid an intent it {@link #acquire}s the key; when evaluation
 * meets an intent the table did not know (written before a lease change), the request adds it
 * with {@link #addDiscovered} and waits on it.
 *
 * <p>Conflicts: a write or locking read conflicts with any lock of another transaction; a
 * non-locking read only with another transaction's intent (a replicated lock) at or below its
 * read timestamp. Locks of the request's own transaction never conflict.
 *
 * <p>Not thread-safe and deterministic: the caller serializes calls and does the blocking.
 */
public final class LockTable {

    /** Whether a lock is backed by an intent in the engine (replicated) or only held here. */
    public enum Durability {
        /** {@code SELECT ... FOR UPDATE}: held in this table only; lost with the lease. */
        UNREPLICATED,
        /** An intent: the engine has it too, so it survives a lease change (and is rediscovered). */
        REPLICATED
    }

    /** What a scan found. */
    public sealed interface ScanOutcome {
        /** No conflicting lock: evaluate. */
        record Proceed() implements ScanOutcome {
        }

        /** Queued behind {@code holder}'s lock at {@code key}. */
        record Wait(byte[] key, TxnRef holder) implements ScanOutcome {
            @Override
            public String toString() {
                return "wait on " + Keys.pretty(key) + " held by " + holder.id();
            }
        }
    }

    private record Waiter(long requestId, TxnRef txn, Timestamp readTimestamp, boolean locking) {
    }

    private static final class KeyLock {
        final byte[] key;
        TxnRef holder;
        Durability durability;
        final Deque<Waiter> queue = new ArrayDeque<>();

        KeyLock(byte[] key, TxnRef holder, Durability durability) {
            this.key = key;
            this.holder = holder;
            this.durability = durability;
        }
    }

    private final NavigableMap<byte[], KeyLock> locks = new TreeMap<>(Arrays::compareUnsigned);
    private final Map<UUID, TreeSet<byte[]>> heldBy = new TreeMap<>();
    private final Map<Long, byte[]> waitingOn = new TreeMap<>();

    /**
     * Looks for the first lock in {@code req}'s way. On a conflict, {@code req} is queued at
     * that key (leaving any queue it was in). Scanning again after being woken is expected.
     */
    public ScanOutcome scan(LockRequest req) {
        leaveQueue(req.id());
        for (LockSpan span : req.spans()) {
            for (KeyLock lock : locksIn(span)) {
                if (conflicts(req.txn(), req.readTimestamp(), span.locking(), lock)) {
                    return enqueue(req, span.locking(), lock);
                }
            }
        }
        return new ScanOutcome.Proceed();
    }

    /**
     * Records that {@code txn} holds the lock on {@code key} (it wrote an intent there, or took
     * an unreplicated lock). Taking a lock it holds again keeps the stronger durability and the
     * newer write timestamp.
     *
     * @throws IllegalStateException if another transaction holds the lock (the caller must
     *                               have scanned first and waited)
     */
    public void acquire(TxnRef txn, byte[] key, Durability durability) {
        Objects.requireNonNull(txn, "txn");
        Objects.requireNonNull(durability, "durability");
        KeyLock lock = locks.get(key);
        if (lock == null) {
            locks.put(key.clone(), new KeyLock(key.clone(), txn, durability));
        } else if (!lock.holder.id().equals(txn.id())) {
            throw new IllegalStateException("lock on " + Keys.pretty(key) + " is held by " + lock.holder.id()
                    + ", not " + txn.id() + ": scan before acquiring");
        } else {
            if (lock.holder.writeTimestamp().less(txn.writeTimestamp())) {
                lock.holder = txn;
            }
            if (durability == Durability.REPLICATED) {
                lock.durability = Durability.REPLICATED;
            }
        }
        heldBy.computeIfAbsent(txn.id(), id -> new TreeSet<>(Arrays::compareUnsigned)).add(key.clone());
    }

    /**
     * Evaluation of {@code req} met {@code holder}'s intent at {@code key}, which the table did
     * not know: the table now does (a replicated lock), and {@code req} waits on it.
     *
     * @throws IllegalStateException if the table knows another holder for {@code key}
     */
    public ScanOutcome addDiscovered(LockRequest req, byte[] key, TxnRef holder) {
        KeyLock known = locks.get(key);
        if (known != null && !known.holder.id().equals(holder.id())) {
            throw new IllegalStateException("found " + holder.id() + "'s intent at " + Keys.pretty(key)
                    + ", but the lock table has " + known.holder.id() + " holding it");
        }
        acquire(holder, key, Durability.REPLICATED);
        leaveQueue(req.id());
        KeyLock lock = locks.get(key);
        boolean locking = req.spans().stream().anyMatch(s -> s.locking() && s.contains(key));
        if (!conflicts(req.txn(), req.readTimestamp(), locking, lock)) {
            return new ScanOutcome.Proceed();
        }
        return enqueue(req, locking, lock);
    }

    /**
     * {@code txn} no longer holds {@code key} (its intent there was resolved, or the lock
     * dropped). Returns the requests to wake, in queue order.
     */
    public List<Long> release(UUID txn, byte[] key) {
        KeyLock lock = locks.get(key);
        TreeSet<byte[]> held = heldBy.get(txn);
        if (held != null) {
            held.remove(key);
            if (held.isEmpty()) {
                heldBy.remove(txn);
            }
        }
        if (lock == null || !lock.holder.id().equals(txn)) {
            return List.of();
        }
        locks.remove(key);
        List<Long> woken = new ArrayList<>();
        for (Waiter w : lock.queue) {
            waitingOn.remove(w.requestId());
            woken.add(w.requestId());
        }
        return woken;
    }

    /** {@code txn} finished (committed or aborted, its intents resolved): releases every lock it holds. */
    public List<Long> releaseAll(UUID txn) {
        TreeSet<byte[]> held = heldBy.get(txn);
        if (held == null) {
            return List.of();
        }
        List<Long> woken = new ArrayList<>();
        for (byte[] key : new ArrayList<>(held)) {
            woken.addAll(release(txn, key));
        }
        return woken;
    }

    /**
     * {@code txn} was pushed to write at {@code newWriteTimestamp}: its intents move up, so
     * non-locking readers waiting on them below that timestamp may go on. Returns those to wake.
     */
    public List<Long> pushed(UUID txn, Timestamp newWriteTimestamp) {
        TreeSet<byte[]> held = heldBy.get(txn);
        if (held == null) {
            return List.of();
        }
        List<Long> woken = new ArrayList<>();
        for (byte[] key : held) {
            KeyLock lock = locks.get(key);
            if (lock.holder.writeTimestamp().less(newWriteTimestamp)) {
                lock.holder = new TxnRef(txn, newWriteTimestamp, lock.holder.priority());
            }
            for (var it = lock.queue.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (!conflicts(w.txn(), w.readTimestamp(), w.locking(), lock)) {
                    it.remove();
                    waitingOn.remove(w.requestId());
                    woken.add(w.requestId());
                }
            }
        }
        return woken;
    }

    /** The request finished or gave up: it leaves any queue it is in. */
    public void done(long requestId) {
        leaveQueue(requestId);
    }

    /** The holder of {@code key}'s lock, if any. */
    public Optional<TxnRef> holder(byte[] key) {
        return Optional.ofNullable(locks.get(key)).map(l -> l.holder);
    }

    /**
     * Who waits for whom: for every queued request of a transaction, an edge from its
     * transaction to the holder of the lock it waits on (requests without a transaction cannot
     * be part of a deadlock).
     */
    public WaitForGraph waitsFor() {
        WaitForGraph g = new WaitForGraph();
        for (KeyLock lock : locks.values()) {
            for (Waiter w : lock.queue) {
                if (w.txn() != null) {
                    g.add(w.txn(), lock.holder);
                }
            }
        }
        return g;
    }

    /** Number of keys with a lock. */
    public int size() {
        return locks.size();
    }

    /** One line per lock, in key order: holder, durability, timestamp and queue (for tests and debug pages). */
    public String dump() {
        if (locks.isEmpty()) {
            return "(no locks)";
        }
        List<String> lines = new ArrayList<>();
        for (KeyLock lock : locks.values()) {
            StringBuilder b = new StringBuilder();
            b.append(Keys.pretty(lock.key)).append(": ").append(lock.holder.id()).append(' ')
                    .append(lock.durability.name().toLowerCase()).append(" @").append(lock.holder.writeTimestamp());
            if (!lock.queue.isEmpty()) {
                List<String> q = new ArrayList<>();
                for (Waiter w : lock.queue) {
                    q.add("r" + w.requestId() + "(" + (w.txn() == null ? "-" : w.txn().id()) + ","
                            + (w.locking() ? "write" : "read@" + w.readTimestamp()) + ")");
                }
                b.append(" waiters ").append(q);
            }
            lines.add(b.toString());
        }
        return String.join("\n", lines);
    }

    // ---------------------------------------------------------------------------------------

    private static boolean conflicts(TxnRef txn, Timestamp readTs, boolean locking, KeyLock lock) {
        if (txn != null && lock.holder.id().equals(txn.id())) {
            return false;
        }
        if (locking) {
            return true;
        }
        return lock.durability == Durability.REPLICATED && lock.holder.writeTimestamp().lessEq(readTs);
    }

    private Iterable<KeyLock> locksIn(LockSpan span) {
        if (span.endKey() == null) {
            KeyLock l = locks.get(span.key());
            return l == null ? List.of() : List.of(l);
        }
        return new ArrayList<>(locks.subMap(span.key(), true, span.endKey(), false).values());
    }

    private ScanOutcome enqueue(LockRequest req, boolean locking, KeyLock lock) {
        lock.queue.addLast(new Waiter(req.id(), req.txn(), req.readTimestamp(), locking));
        waitingOn.put(req.id(), lock.key);
        return new ScanOutcome.Wait(lock.key.clone(), lock.holder);
    }

    private void leaveQueue(long requestId) {
        byte[] key = waitingOn.remove(requestId);
        if (key == null) {
            return;
        }
        KeyLock lock = locks.get(key);
        if (lock != null) {
            lock.queue.removeIf(w -> w.requestId() == requestId);
        }
    }
}
