package dev.meridian.cluster.replica;

import dev.meridian.storage.mvcc.TxnMeta;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Who waits for whom, as the leaseholders of transaction records hear it: a push that cannot
 * succeed yet (the pushee is alive and not weaker) registers its pusher as waiting for the
 * pushee. Waiting pushers push again every few hundred milliseconds, which keeps their entry
 * fresh; an entry not refreshed within {@link #TTL_NANOS} is forgotten. {@code QueryTxn} answers
 * from here, and a waiter that finds the transaction it blocks among those waiting for it (directly
 * or through others) has found a deadlock.
 *
 * <p>Soft state on purpose: it is lost with the lease or the node, and waiters re-register on
 * their next push. Thread-safe.
 */
final class TxnWaiters {

    static final long TTL_NANOS = 2_000_000_000L;

    private record Waiter(TxnMeta pusher, long seenNanos) {
    }

    private final Map<UUID, Map<UUID, Waiter>> byPushee = new ConcurrentHashMap<>();
    private final LongSupplier nanos;

    TxnWaiters(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** Notes that {@code pusher} waits for {@code pushee}. */
    void waiting(UUID pushee, TxnMeta pusher) {
        long now = nanos.getAsLong();
        byPushee.computeIfAbsent(pushee, k -> new ConcurrentHashMap<>()).put(pusher.id(), new Waiter(pusher, now));
        if (byPushee.size() > 1024) {
            expire(now);
        }
    }

    /** Forgets everyone waiting for {@code txn} (it finished). */
    void finished(UUID txn) {
        byPushee.remove(txn);
    }

    /** The transactions that recently waited for {@code txn}, ordered by id. */
    List<TxnMeta> waitingFor(UUID txn) {
        Map<UUID, Waiter> m = byPushee.get(txn);
        if (m == null) {
            return List.of();
        }
        long now = nanos.getAsLong();
        List<TxnMeta> out = new ArrayList<>();
        for (Waiter w : m.values()) {
            if (now - w.seenNanos <= TTL_NANOS) {
                out.add(w.pusher);
            }
        }
        out.sort(Comparator.comparing(TxnMeta::id));
        return out;
    }

    private void expire(long now) {
        byPushee.values().forEach(m -> m.values().removeIf(w -> now - w.seenNanos > TTL_NANOS));
        byPushee.values().removeIf(Map::isEmpty);
    }
}
