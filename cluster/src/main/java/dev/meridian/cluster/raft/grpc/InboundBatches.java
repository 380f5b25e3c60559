package dev.meridian.cluster.raft.grpc;

import dev.meridian.cluster.raft.GroupMessage;
import dev.meridian.cluster.raft.RaftMessageBatch;
import dev.meridian.cluster.raft.RaftTransport;
import dev.meridian.proto.raft.RaftStreamClosed;
import dev.meridian.proto.raft.RaftTransportServiceGrpc;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The server side: checks every batch that arrives and hands the good ones to the node's
 * {@link RaftTransport.Receiver}. A batch is delivered whole or not at all; nothing a peer sends
 * (wrong address, unknown enum value, missing message, a local message type) gets further than
 * a drop counter.
 */
final class InboundBatches extends RaftTransportServiceGrpc.RaftTransportServiceImplBase {

    /** The newest stream seen from one sender, and the lock that orders delivery from it. */
    private static final class SenderOrder {
        long incarnation;
        long streamSeq;
    }

    private final TransportMetrics metrics;
    private final NodeAddressBook addresses;
    private final ConcurrentHashMap<Long, SenderOrder> senders = new ConcurrentHashMap<>();
    private volatile long localNodeId;
    private volatile RaftTransport.Receiver receiver;

    InboundBatches(TransportMetrics metrics, NodeAddressBook addresses) {
        this.addresses = addresses;
        this.metrics = metrics;
    }

    void start(long localNodeId, RaftTransport.Receiver receiver) {
        this.localNodeId = localNodeId;
        this.receiver = receiver;
    }

    @Override
    public StreamObserver<dev.meridian.proto.raft.RaftMessageBatch> raftStream(
            StreamObserver<RaftStreamClosed> responses) {
        return new StreamObserver<>() {
            @Override
            public void onNext(dev.meridian.proto.raft.RaftMessageBatch batch) {
                deliver(batch);
            }

            @Override
            public void onError(Throwable t) {
                // The sender went away or cancelled; it reopens a stream when it sends again.
            }

            @Override
            public void onCompleted() {
                responses.onNext(RaftStreamClosed.getDefaultInstance());
                responses.onCompleted();
            }
        };
    }

    private void deliver(dev.meridian.proto.raft.RaftMessageBatch proto) {
        RaftTransport.Receiver r = receiver;
        if (r == null) {
            metrics.dropped(DropReason.NOT_STARTED, 1);
            return;
        }
        if (proto.getToNode() != localNodeId) {
            metrics.dropped(DropReason.WRONG_NODE, 1);
            return;
        }
        RaftMessageBatch batch;
        try {
            batch = RaftProtos.fromProto(proto);
            rejectLocalTypes(batch);
        } catch (MalformedRaftMessageException e) {
            metrics.dropped(DropReason.MALFORMED, 1);
            return;
        }
        SenderOrder order = senders.computeIfAbsent(batch.fromNode(), n -> new SenderOrder());
        synchronized (order) {
            if (!advance(order, proto.getSenderIncarnation(), proto.getStreamSeq())) {
                metrics.dropped(DropReason.STALE_STREAM, 1);
                return;
            }
            if (!proto.getSenderAddress().isEmpty()) {
                addresses.learn(batch.fromNode(), proto.getSenderAddress());
            }
            // Counted before the hand-off, so that whoever sees the batch sees it counted.
            metrics.received(batch.messages().size(), proto.getSerializedSize());
            r.receive(batch);
        }
    }

    /**
     * Whether a batch of the given stream may be delivered after what was delivered from its
     * sender so far. A sender numbers its streams to a destination 1, 2, ...; once a batch of
     * stream n was delivered, batches of streams below n are late leftovers of a broken stream
     * and would break per-pair order. A new incarnation is a restarted sender: its count starts
     * afresh.
     */
    private static boolean advance(SenderOrder order, long incarnation, long streamSeq) {
        if (incarnation == order.incarnation && streamSeq < order.streamSeq) {
            return false;
        }
        order.incarnation = incarnation;
        order.streamSeq = streamSeq;
        return true;
    }

    private static void rejectLocalTypes(RaftMessageBatch batch) {
        for (GroupMessage gm : batch.messages()) {
            if (gm.message().type().isLocal()) {
                throw new MalformedRaftMessageException("group " + gm.groupId() + " carries local message type "
                        + gm.message().type());
            }
        }
    }
}
