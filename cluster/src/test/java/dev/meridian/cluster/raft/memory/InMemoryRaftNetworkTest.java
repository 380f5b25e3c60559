package dev.meridian.cluster.raft.memory;

import dev.meridian.cluster.raft.GroupMessage;
import dev.meridian.cluster.raft.RaftMessageBatch;
import dev.meridian.cluster.raft.RaftTransport;
import dev.meridian.raft.Message;
import dev.meridian.raft.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryRaftNetworkTest {

    private final InMemoryRaftNetwork network = new InMemoryRaftNetwork();

    /** Records what a node receives: the group id of each batch's single message stands for the batch. */
    private static final class Recorder implements RaftTransport.Receiver {
        final List<Long> received = new CopyOnWriteArrayList<>();
        final List<Long> unreachable = new CopyOnWriteArrayList<>();

        @Override
        public void receive(RaftMessageBatch batch) {
            batch.messages().forEach(m -> received.add(m.groupId()));
        }

        @Override
        public void unreachable(long nodeId) {
            unreachable.add(nodeId);
        }
    }

    @AfterEach
    void close() {
        network.close();
    }

    private static RaftMessageBatch batch(long from, long to, long seq) {
        Message m = Message.builder(MessageType.HEARTBEAT).from(from).to(to).build();
        return new RaftMessageBatch(from, to, List.of(new GroupMessage(seq, m)));
    }

    private static void await(java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
            Thread.sleep(2);
        }
    }

    private RaftTransport started(long node, Recorder r) {
        RaftTransport t = network.newTransport();
        t.start(node, r);
        return t;
    }

    @Test
    void batchesOfOnePairArriveInSendOrderEvenWhenTheDelayShrinks() throws InterruptedException {
        Recorder at2 = new Recorder();
        RaftTransport t1 = started(1, new Recorder());
        started(2, at2);
        for (long seq = 1; seq <= 300; seq++) {
            // Delays shrink and grow while batches are in flight: a later batch with a shorter
            // delay must still wait for the earlier ones.
            network.setDelay(1, 2, Duration.ofMillis(seq % 3 == 0 ? 0 : 5 - seq % 5));
            assertThat(t1.send(batch(1, 2, seq))).isTrue();
        }
        await(() -> at2.received.size() == 300);
        assertThat(at2.received).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void anIsolatedNodeNeitherSendsNorReceives() throws InterruptedException {
        Recorder at1 = new Recorder();
        Recorder at2 = new Recorder();
        Recorder at3 = new Recorder();
        RaftTransport t1 = started(1, at1);
        RaftTransport t2 = started(2, at2);
        started(3, at3);
        network.isolate(2);
        t1.send(batch(1, 2, 1));
        t2.send(batch(2, 1, 2));
        t1.send(batch(1, 3, 3));
        await(() -> at3.received.size() == 1);
        await(() -> network.droppedBatches() == 2);
        assertThat(at1.received).isEmpty();
        assertThat(at2.received).isEmpty();
        network.heal(2);
        t1.send(batch(1, 2, 4));
        await(() -> at2.received.size() == 1);
        assertThat(at2.received).containsExactly(4L);
    }

    @Test
    void sendingToAnUnknownNodeFailsAndReportsItUnreachable() throws InterruptedException {
        Recorder at1 = new Recorder();
        RaftTransport t1 = started(1, at1);
        assertThat(t1.send(batch(1, 9, 1))).isFalse();
        await(() -> at1.unreachable.equals(List.of(9L)));
    }

    @Test
    void aClosedTransportDropsAndLeavesTheNetwork() throws InterruptedException {
        Recorder at1 = new Recorder();
        RaftTransport t1 = started(1, at1);
        RaftTransport t2 = started(2, new Recorder());
        t2.close();
        assertThat(t2.send(batch(2, 1, 1))).isFalse();
        assertThat(t1.send(batch(1, 2, 2))).isFalse();
        await(() -> at1.unreachable.contains(2L));
        // The node may rejoin with a new transport (a restart).
        Recorder again = new Recorder();
        started(2, again);
        assertThat(t1.send(batch(1, 2, 3))).isTrue();
        await(() -> again.received.equals(List.of(3L)));
        assertThatThrownBy(() -> t1.send(batch(2, 1, 4))).isInstanceOf(IllegalArgumentException.class);
    }
}
