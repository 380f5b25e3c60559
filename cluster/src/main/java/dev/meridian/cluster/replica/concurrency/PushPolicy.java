package dev.meridian.cluster.replica.concurrency;

import java.util.Comparator;
import java.util.List;

/**
 * What a request blocked by another transaction's lock does about it (BRIEF.md: "push by
 * priority"). A reader only needs the holder's intent above its read timestamp; a writer needs
 * the lock itself.
 *
 * <ul>
 *   <li>The holder's record expired (its coordinator stopped heartbeating): abort it, whoever
 *       pushes; the lock is free once its intents are resolved.</li>
 *   <li>The pusher has the higher priority: a reader pushes the holder's timestamp above its
 *       read (the holder may still commit, later); a writer aborts the holder.</li>
 *   <li>Otherwise: wait in the queue (deadlocks are found by {@link WaitForGraph}).</li>
 * </ul>
 */
public final class PushPolicy {

    /** What the pusher wants. */
    public enum Want {
        /** The holder's writes above the pusher's read timestamp. */
        TIMESTAMP_ABOVE_READ,
        /** The lock. */
        LOCK
    }

    /** The decision. */
    public enum Decision {
        WAIT,
        PUSH_TIMESTAMP,
        ABORT_HOLDER
    }

    private PushPolicy() {
    }

    /** The decision for a pusher of {@code pusherPriority} against a holder. */
    public static Decision decide(Want want, int pusherPriority, int holderPriority, boolean holderExpired) {
        if (holderExpired) {
            return Decision.ABORT_HOLDER;
        }
        if (pusherPriority > holderPriority) {
            return want == Want.TIMESTAMP_ABOVE_READ ? Decision.PUSH_TIMESTAMP : Decision.ABORT_HOLDER;
        }
        return Decision.WAIT;
    }

    /**
     * The member of a deadlock cycle to abort: the lowest priority, and among equals the
     * highest id (arbitrary, but the same on every node that sees the cycle).
     */
    public static TxnRef deadlockVictim(List<TxnRef> cycle) {
        if (cycle.isEmpty()) {
            throw new IllegalArgumentException("no cycle");
        }
        return cycle.stream().min(Comparator.comparingInt(TxnRef::priority)
                .thenComparing(TxnRef::id, Comparator.reverseOrder())).orElseThrow();
    }
}
