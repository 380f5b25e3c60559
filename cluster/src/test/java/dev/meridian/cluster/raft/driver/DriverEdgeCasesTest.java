package dev.meridian.cluster.raft.driver;

import dev.meridian.cluster.raft.GroupMessage;
import dev.meridian.cluster.raft.RaftMessageBatch;
import dev.meridian.cluster.raft.RaftTransport;
import dev.meridian.raft.Message;
import dev.meridian.raft.MessageType;
import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.EngineLimits;
import dev.meridian.storage.EngineSnapshot;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.StorageException;
import dev.meridian.storage.WriteBatch;
import dev.meridian.storage.memory.InMemoryEngine;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One driver against a recording transport: failures and input it must refuse. */
class DriverEdgeCasesTest {

    /** An engine whose writes fail once {@link #breakWrites} is set. */
    private static final class BreakableEngine implements Engine {
        final InMemoryEngine delegate = new InMemoryEngine();
        final AtomicBoolean broken = new AtomicBoolean();

        void breakWrites() {
            broken.set(true);
        }

        @Override
        public byte[] get(KeySpace space, byte[] key) {
            return delegate.get(space, key);
        }

        @Override
        public EngineIterator iterator(KeySpace space, byte[] lowerBound, byte[] upperBound) {
            return delegate.iterator(space, lowerBound, upperBound);
        }

        @Override
        public WriteBatch newWriteBatch() {
            return delegate.newWriteBatch();
        }

        @Override
        public ReadWriteBatch newReadWriteBatch() {
            return delegate.newReadWriteBatch();
        }

        @Override
        public void write(WriteBatch batch, Durability durability) {
            if (broken.get()) {
                throw new StorageException("disk on fire");
            }
            delegate.write(batch, durability);
        }

        @Override
        public void writeEncoded(byte[] encodedBatch, Durability durability) {
            delegate.writeEncoded(encodedBatch, durability);
        }

        @Override
        public EngineSnapshot newSnapshot() {
            return delegate.newSnapshot();
        }

        @Override
        public long approximateSize(KeySpace space, byte[] start, byte[] end) {
            return delegate.approximateSize(space, start, end);
        }

        @Override
        public EngineLimits limits() {
            return delegate.limits();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Records what the driver sends; delivers nothing. */
    private static final class RecordingTransport implements RaftTransport {
        final List<RaftMessageBatch> sent = new CopyOnWriteArrayList<>();
        volatile Receiver receiver;

        @Override
        public void start(long localNodeId, Receiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public boolean send(RaftMessageBatch batch) {
            sent.add(batch);
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void messagesForUnknownGroupsOrOtherReplicasAreCountedAndDropped() {
        RecordingTransport transport = new RecordingTransport();
        DriverConfig config = DriverConfig.defaults().withTickInterval(Duration.ofMillis(10)).withElection(30, 3);
        try (InMemoryEngine engine = new InMemoryEngine();
             MultiRaftDriver driver = new MultiRaftDriver(1, engine, transport, config, OpenTelemetry.noop())) {
            driver.createGroup(1, 1, List.of(new Peer(1, 1), new Peer(2, 2), new Peer(3, 3)), new ListStateMachine());
            Message forUnknownGroup = Message.builder(MessageType.HEARTBEAT).from(2).to(1).term(1).build();
            Message forAnotherReplica = Message.builder(MessageType.HEARTBEAT).from(2).to(3).term(1).build();
            Message localType = Message.builder(MessageType.HUP).from(2).to(1).term(1).build();
            transport.receiver.receive(new RaftMessageBatch(2, 1, List.of(new GroupMessage(42, forUnknownGroup),
                    new GroupMessage(1, forAnotherReplica), new GroupMessage(1, localType))));
            TestCluster.await("the unknown group counted", () -> driver.stats().messagesDroppedUnknownGroup() == 1);
            GroupStatus st = TestCluster.get(driver.status(1));
            assertThat(driver.failure()).isNull();
            assertThat(st.term()).as("nothing reached the group's Raft node").isZero();
            assertThat(driver.stats().messagesReceived()).isZero();
        }
    }

    @Test
    void aFailedLogWriteStopsTheDriverBeforeItsMessagesLeave() {
        BreakableEngine engine = new BreakableEngine();
        RecordingTransport transport = new RecordingTransport();
        DriverConfig config = DriverConfig.defaults().withTickInterval(Duration.ofMillis(10)).withElection(30, 3);
        MultiRaftDriver driver = new MultiRaftDriver(1, engine, transport, config, OpenTelemetry.noop());
        driver.createGroup(1, 1, List.of(new Peer(1, 1), new Peer(2, 2), new Peer(3, 3)), new ListStateMachine());
        engine.breakWrites();
        // A vote request: granting it changes term and vote, which must be durable before the answer.
        Message vote = Message.builder(MessageType.VOTE).from(2).to(1).term(5).build();
        transport.receiver.receive(new RaftMessageBatch(2, 1, List.of(new GroupMessage(1, vote))));
        TestCluster.await("the driver to fail", () -> driver.failure() != null);
        assertThat(driver.failure()).isInstanceOf(StorageException.class);
        assertThat(transport.sent).as("the vote must not leave: it was never durable").isEmpty();
        driver.close();
        assertThatThrownBy(() -> TestCluster.get(driver.propose(1, new byte[1])))
                .isInstanceOfSatisfying(ProposalException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProposalException.Reason.DRIVER_CLOSED));
        engine.close();
    }
}
