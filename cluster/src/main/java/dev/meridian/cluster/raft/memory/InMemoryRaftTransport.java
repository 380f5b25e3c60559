package dev.meridian.cluster.raft.memory;

import dev.meridian.cluster.raft.RaftMessageBatch;
import dev.meridian.cluster.raft.RaftTransport;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One node's endpoint on an {@link InMemoryRaftNetwork}. Incoming batches are delivered on one
 * daemon thread per endpoint, in order of their delivery time, ties in arrival order; per-pair
 * delivery times never decrease (see {@link #enqueue}), which keeps each pair in send order.
 */
final class InMemoryRaftTransport implements RaftTransport {

    private final InMemoryRaftNetwork network;
    private final Map<Long, Long> lastDeliveryNanos = new ConcurrentHashMap<>();
    /** Per sending node, batches not yet delivered, in send order. */
    private final Map<Long, Queue<RaftMessageBatch>> pending = new ConcurrentHashMap<>();
    private volatile ScheduledThreadPoolExecutor inbound;
    private volatile Receiver receiver;
    private volatile long localNodeId;
    private volatile boolean closed;

    InMemoryRaftTransport(InMemoryRaftNetwork network) {
        this.network = network;
    }

    @Override
    public synchronized void start(long localNodeId, Receiver receiver) {
        if (this.receiver != null) {
            throw new IllegalStateException("transport already started for node " + this.localNodeId);
        }
        if (closed) {
            throw new IllegalStateException("transport closed");
        }
        this.localNodeId = localNodeId;
        this.receiver = receiver;
        this.inbound = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "raft-inmem-n" + localNodeId);
            t.setDaemon(true);
            return t;
        });
        network.register(localNodeId, this);
    }

    @Override
    public boolean send(RaftMessageBatch batch) {
        if (closed || receiver == null) {
            return false;
        }
        if (batch.fromNode() != localNodeId) {
            throw new IllegalArgumentException("node " + localNodeId + " cannot send a batch from node " + batch.fromNode());
        }
        if (network.route(batch)) {
            return true;
        }
        ScheduledThreadPoolExecutor own = inbound;
        Receiver r = receiver;
        if (own != null && !closed) {
            own.execute(() -> r.unreachable(batch.toNode()));
        }
        return false;
    }

    /** Schedules delivery of a batch to this endpoint; false if it is closed. */
    synchronized boolean enqueue(RaftMessageBatch batch, long delayNanos) {
        if (closed) {
            return false;
        }
        long now = System.nanoTime();
        long at = Math.max(now + delayNanos, lastDeliveryNanos.getOrDefault(batch.fromNode(), Long.MIN_VALUE));
        lastDeliveryNanos.put(batch.fromNode(), at);
        Queue<RaftMessageBatch> pairQueue = pending.computeIfAbsent(batch.fromNode(), k -> new ConcurrentLinkedQueue<>());
        pairQueue.add(batch);
        Receiver r = receiver;
        // The task delivers the pair's oldest batch, not "its" batch: tasks with nearly equal
        // times may fire in either order, the pair's batches still arrive in send order.
        inbound.schedule(() -> deliver(r, pairQueue.poll()), at - now, TimeUnit.NANOSECONDS);
        return true;
    }

    private void deliver(Receiver r, RaftMessageBatch batch) {
        if (batch != null && !closed && network.stillConnected(batch)) {
            network.countDelivered();
            r.receive(batch);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        network.unregister(localNodeId, this);
        if (inbound != null) {
            inbound.shutdownNow();
        }
    }
}
