package dev.meridian.cluster.raft.memory;

import dev.meridian.cluster.raft.RaftMessageBatch;
import dev.meridian.cluster.raft.RaftTransport;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hub connecting several nodes of one process, each through its own {@link RaftTransport}
 * ({@link #newTransport()}), with fault injection: isolate a node (drop everything to and from
 * it, a partition) and delay a node pair.
 *
 * <p>Delivery keeps the transport contract: each destination has one delivery thread, and a
 * batch's delivery time is never earlier than that of the previous batch of the same pair, so
 * batches of one pair arrive in send order even when the pair's delay changes.
 */
public final class InMemoryRaftNetwork implements AutoCloseable {

    private final Map<Long, InMemoryRaftTransport> endpoints = new ConcurrentHashMap<>();
    private final Set<Long> isolated = ConcurrentHashMap.newKeySet();
    private final Map<Long, Duration> delays = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();

    /** A transport for one node; it joins the network when its node calls {@code start}. */
    public RaftTransport newTransport() {
        return new InMemoryRaftTransport(this);
    }

    /** Drops every batch to or from {@code nodeId} until {@link #heal}. */
    public void isolate(long nodeId) {
        isolated.add(nodeId);
    }

    public void heal(long nodeId) {
        isolated.remove(nodeId);
    }

    /** Delays batches from {@code from} to {@code to} (one direction) by {@code delay}. */
    public void setDelay(long from, long to, Duration delay) {
        delays.put(pairKey(from, to), delay);
    }

    /** Batches dropped by a partition so far. */
    public long droppedBatches() {
        return dropped.get();
    }

    /** Batches handed to a receiver so far. */
    public long deliveredBatches() {
        return delivered.get();
    }

    /** Closes every endpoint still open. */
    @Override
    public void close() {
        endpoints.values().forEach(InMemoryRaftTransport::close);
    }

    void register(long nodeId, InMemoryRaftTransport endpoint) {
        if (endpoints.putIfAbsent(nodeId, endpoint) != null) {
            throw new IllegalStateException("node " + nodeId + " is already on this network");
        }
    }

    void unregister(long nodeId, InMemoryRaftTransport endpoint) {
        endpoints.remove(nodeId, endpoint);
    }

    /** Routes one batch; false if the destination is not on the network. */
    boolean route(RaftMessageBatch batch) {
        InMemoryRaftTransport to = endpoints.get(batch.toNode());
        if (to == null) {
            return false;
        }
        if (isolated.contains(batch.fromNode()) || isolated.contains(batch.toNode())) {
            dropped.incrementAndGet();
            return true;
        }
        Duration delay = delays.getOrDefault(pairKey(batch.fromNode(), batch.toNode()), Duration.ZERO);
        return to.enqueue(batch, delay.toNanos());
    }

    void countDelivered() {
        delivered.incrementAndGet();
    }

    /** Whether a batch may still be delivered when its time comes (partitions cut queued batches too). */
    boolean stillConnected(RaftMessageBatch batch) {
        boolean ok = !isolated.contains(batch.fromNode()) && !isolated.contains(batch.toNode());
        if (!ok) {
            dropped.incrementAndGet();
        }
        return ok;
    }

    private static long pairKey(long from, long to) {
        return from * 1_000_003L + to;
    }
}
