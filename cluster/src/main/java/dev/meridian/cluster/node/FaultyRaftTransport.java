package dev.meridian.cluster.node;

import dev.meridian.cluster.raft.RaftMessageBatch;
import dev.meridian.cluster.raft.RaftTransport;

/** A Raft transport that drops the batches {@link NetworkFaults} blocks, in both directions. */
final class FaultyRaftTransport implements RaftTransport {

    private final RaftTransport inner;
    private final NetworkFaults faults;

    FaultyRaftTransport(RaftTransport inner, NetworkFaults faults) {
        this.inner = inner;
        this.faults = faults;
    }

    @Override
    public void start(long localNodeId, Receiver receiver) {
        inner.start(localNodeId, new Receiver() {
            @Override
            public void receive(RaftMessageBatch batch) {
                if (!faults.blocked(batch.fromNode(), localNodeId)) {
                    receiver.receive(batch);
                }
            }

            @Override
            public void unreachable(long node) {
                receiver.unreachable(node);
            }
        });
    }

    @Override
    public boolean send(RaftMessageBatch batch) {
        if (faults.blocked(batch.fromNode(), batch.toNode())) {
            return true; // lost on the way, as far as the sender can tell
        }
        return inner.send(batch);
    }

    @Override
    public void close() {
        inner.close();
    }
}
