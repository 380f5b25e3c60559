package dev.meridian.cluster.node;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Network faults injected between the nodes of a test cluster: one-way or two-way blocks
 * between node ids. A node consults it for its Raft traffic (batches to or from a blocked
 * peer are dropped) and for the KV requests it routes to other nodes (a request to a blocked
 * peer times out; a request whose answer is blocked reaches the peer, which may carry it out,
 * and its caller times out: the ambiguity a real partition causes). Thread-safe.
 * Production nodes use {@link #none()}, which blocks nothing.
 */
public final class NetworkFaults {

    private static final NetworkFaults NONE = new NetworkFaults();

    private final Set<Long> blocked = ConcurrentHashMap.newKeySet();

    public static NetworkFaults none() {
        return NONE;
    }

    /** A fresh, fault-free instance that tests share between their nodes and then mutate. */
    public static NetworkFaults create() {
        return new NetworkFaults();
    }

    /** Drops traffic from {@code from} to {@code to} (one way). */
    public void block(long from, long to) {
        checkMutable();
        blocked.add(pair(from, to));
    }

    /** Cuts both directions between every node of {@code a} and every node of {@code b}. */
    public void partition(Set<Long> a, Set<Long> b) {
        for (long x : a) {
            for (long y : b) {
                block(x, y);
                block(y, x);
            }
        }
    }

    /** Cuts {@code node} off from every node of {@code others}, both ways. */
    public void isolate(long node, Set<Long> others) {
        partition(Set.of(node), others);
    }

    /** Removes every fault. */
    public void heal() {
        blocked.clear();
    }

    /** Whether traffic from {@code from} to {@code to} is dropped. */
    public boolean blocked(long from, long to) {
        return !blocked.isEmpty() && blocked.contains(pair(from, to));
    }

    private void checkMutable() {
        if (this == NONE) {
            throw new IllegalStateException("NetworkFaults.none() is shared and cannot be changed; use create()");
        }
    }

    private static long pair(long from, long to) {
        return (from << 32) ^ to;
    }
}
