package dev.meridian.cluster.raft.driver;

import dev.meridian.cluster.raft.GroupMessage;
import dev.meridian.cluster.raft.RaftMessageBatch;
import dev.meridian.cluster.raft.RaftTransport;
import dev.meridian.cluster.raft.storage.EngineRaftLogStorage;
import dev.meridian.raft.ConfState;
import dev.meridian.raft.Message;
import dev.meridian.raft.MessageType;
import dev.meridian.raft.Role;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

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
    private static class RecordingTransport implements RaftTransport {
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

    private static final DriverConfig QUICK = DriverConfig.defaults().withTickInterval(Duration.ofMillis(10)).withElection(30, 3);

    private static void deliver(RecordingTransport t, long fromNode, long groupId, Message m) {
        t.receiver.receive(new RaftMessageBatch(fromNode, 1, List.of(new GroupMessage(groupId, m))));
    }

    @Test
    void aReplicaCreatedOnDemandIsDurableBeforeItAnswersRoutesTheAnswerToTheSenderAndNeverCampaigns() {
        InMemoryEngine engine = new InMemoryEngine();
        List<Boolean> durableWhenSent = new CopyOnWriteArrayList<>();
        RecordingTransport transport = new RecordingTransport() {
            @Override
            public boolean send(RaftMessageBatch batch) {
                durableWhenSent.add(EngineRaftLogStorage.exists(engine, 42));
                return super.send(batch);
            }
        };
        try (engine; MultiRaftDriver driver = new MultiRaftDriver(1, engine, transport, QUICK, OpenTelemetry.noop())) {
            List<String> calls = new CopyOnWriteArrayList<>();
            driver.setGroupFactory((groupId, replicaId, fromNode) -> {
                calls.add(groupId + "/" + replicaId + "/" + fromNode);
                return new ListStateMachine();
            });
            // Replica 7 of group 42 (on node 5) sends a heartbeat to replica 3, which is not here yet.
            deliver(transport, 5, 42, Message.builder(MessageType.HEARTBEAT).from(7).to(3).term(4).build());
            TestCluster.await("an answer", () -> !transport.sent.isEmpty());
            assertThat(calls).containsExactly("42/3/5");
            assertThat(driver.hosts(42)).isTrue();
            RaftMessageBatch answer = transport.sent.get(0);
            assertThat(answer.toNode()).as("route learned from the heartbeat").isEqualTo(5);
            assertThat(answer.messages()).singleElement().satisfies(gm -> {
                assertThat(gm.groupId()).isEqualTo(42);
                assertThat(gm.message().type()).isEqualTo(MessageType.HEARTBEAT_RESP);
                assertThat(gm.message().to()).isEqualTo(7);
            });
            assertThat(durableWhenSent).containsOnly(true);
            // Several election timeouts later it is still a follower of term 4: with no
            // membership it never campaigns.
            long rounds = driver.stats().tickerRounds();
            TestCluster.await("two longest election timeouts of ticks", () -> driver.stats().tickerRounds() > rounds + 2 * 60);
            GroupStatus st = TestCluster.get(driver.status(42));
            assertThat(st.role()).isEqualTo(Role.FOLLOWER);
            assertThat(st.term()).isEqualTo(4);
            assertThat(st.lastIndex()).isZero();
            assertThat(transport.sent).allSatisfy(b -> assertThat(b.messages())
                    .allSatisfy(gm -> assertThat(gm.message().type()).isEqualTo(MessageType.HEARTBEAT_RESP)));
            assertThat(driver.stats().replicasCreatedOnDemand()).isEqualTo(1);
        }
    }

    @Test
    void theFactoryIsAskedOnlyForRequestsToUnknownGroupsAndNullDropsThem() {
        RecordingTransport transport = new RecordingTransport();
        try (InMemoryEngine engine = new InMemoryEngine();
             MultiRaftDriver driver = new MultiRaftDriver(1, engine, transport, QUICK, OpenTelemetry.noop())) {
            // A log on the engine that nobody loaded (yet): never overwritten by an on-demand replica.
            driver.createGroup(9, 1, List.of(new Peer(1, 1)), new ListStateMachine());
            TestCluster.get(driver.removeGroup(9));
            try (WriteBatch b = engine.newWriteBatch()) {
                EngineRaftLogStorage.create(engine, 9,
                        ConfState.of(List.of(1L), List.of()), b);
                engine.write(b, Durability.SYNCED);
            }
            List<Long> asked = new CopyOnWriteArrayList<>();
            driver.setGroupFactory((groupId, replicaId, fromNode) -> {
                asked.add(groupId);
                return null;
            });
            deliver(transport, 2, 42, Message.builder(MessageType.APP).from(2).to(1).term(1).build());
            deliver(transport, 2, 43, Message.builder(MessageType.APP_RESP).from(2).to(1).term(1).build());
            deliver(transport, 2, 9, Message.builder(MessageType.APP).from(2).to(1).term(1).build());
            TestCluster.await("three drops", () -> driver.stats().messagesDroppedUnknownGroup() == 3);
            assertThat(asked).containsExactly(42L);
            assertThat(driver.hosts(42)).isFalse();
            assertThat(driver.hosts(9)).isFalse();
            assertThat(EngineRaftLogStorage.exists(engine, 42)).isFalse();
            assertThat(transport.sent).isEmpty();
        }
    }

    @Test
    void concurrentMessagesForANewGroupCreateItOnce() throws Exception {
        RecordingTransport transport = new RecordingTransport();
        try (InMemoryEngine engine = new InMemoryEngine();
             MultiRaftDriver driver = new MultiRaftDriver(1, engine, transport, QUICK, OpenTelemetry.noop())) {
            AtomicInteger created = new AtomicInteger();
            driver.setGroupFactory((groupId, replicaId, fromNode) -> {
                created.incrementAndGet();
                return new ListStateMachine();
            });
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long from = 2 + t;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (long g = 100; g < 150; g++) {
                        deliver(transport, from, g, Message.builder(MessageType.HEARTBEAT).from(from).to(1).term(1).build());
                    }
                });
                th.start();
                senders.add(th);
            }
            start.countDown();
            for (Thread th : senders) {
                th.join();
            }
            assertThat(created.get()).isEqualTo(50);
            assertThat(driver.groupIds()).hasSize(50);
            assertThat(driver.stats().replicasCreatedOnDemand()).isEqualTo(50);
            TestCluster.await("the messages stepped", () -> driver.stats().messagesReceived() == 200);
            assertThat(driver.failure()).isNull();
        }
    }
}
