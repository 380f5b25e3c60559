package dev.meridian.cluster.raft;

/**
 * Carries {@link RaftMessageBatch}es between nodes. Implementations: in-memory (tests, the
 * simulator's real-time cousin) and gRPC (bidirectional streams with flow control).
 *
 * <p>Delivery is best effort: a batch may be dropped (destination down, queue full, stream
 * broken) and the sender is not told which batch was lost. Raft tolerates loss and duplication
 * by design; it only needs the transport never to corrupt a message (a damaged batch is
 * dropped whole) and never to block the driver. Batches from one sender to one receiver are
 * delivered in send order when they are delivered at all.
 */
public interface RaftTransport extends AutoCloseable {

    /** What the transport tells its node. Called on transport threads; must not block. */
    interface Receiver {
        /** A batch addressed to this node arrived. */
        void receive(RaftMessageBatch batch);

        /**
         * The transport could not reach {@code nodeId} (connection refused or broken); the driver
         * reports its replicas there as unreachable so their leaders fall back to probing.
         */
        void unreachable(long nodeId);
    }

    /** Starts delivering batches addressed to {@code localNodeId} to {@code receiver}. Once. */
    void start(long localNodeId, Receiver receiver);

    /**
     * Queues {@code batch} for {@code batch.toNode()} and returns at once. Returns false if it was
     * dropped immediately (unknown node, queue full, transport closed).
     */
    boolean send(RaftMessageBatch batch);

    /** Stops sending and receiving and releases every connection and thread. */
    @Override
    void close();
}
