package dev.meridian.cluster.raft.grpc;

import dev.meridian.cluster.raft.RaftMessageBatch;
import dev.meridian.cluster.raft.RaftTransport;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that does not know a peer's address learns it from the peer's batches (which announce
 * it), so that it can answer: the case of a node that joined after the receiver last refreshed
 * its directory, and is now needed for an election.
 */
class AddressLearningTest {

    private final List<GrpcRaftTransport> transports = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        transports.forEach(GrpcRaftTransport::close);
    }

    /** A book that knows {@code known} and learns what it is told about anybody else. */
    static final class LearningBook implements NodeAddressBook {
        final Map<Long, InetSocketAddress> known = new ConcurrentHashMap<>();

        @Override
        public Optional<InetSocketAddress> addressOf(long nodeId) {
            return Optional.ofNullable(known.get(nodeId));
        }

        @Override
        public void learn(long nodeId, String hostPort) {
            int colon = hostPort.lastIndexOf(':');
            known.putIfAbsent(nodeId, new InetSocketAddress(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1))));
        }
    }

    private GrpcRaftTransport start(long id, NodeAddressBook book, List<RaftMessageBatch> received) throws IOException {
        GrpcRaftTransport t = GrpcRaftTransport.create(GrpcRaftTransportConfig.defaults(new InetSocketAddress("127.0.0.1", 0)),
                book, OpenTelemetry.noop());
        transports.add(t);
        t.advertise("127.0.0.1:" + t.localAddress().getPort());
        t.start(id, new RaftTransport.Receiver() {
            @Override
            public void receive(RaftMessageBatch batch) {
                received.add(batch);
            }

            @Override
            public void unreachable(long nodeId) {
            }
        });
        return t;
    }

    @Test
    void aReceiverLearnsTheSendersAddressFromItsBatchAndCanAnswer() throws Exception {
        LearningBook bookA = new LearningBook();
        LearningBook bookB = new LearningBook();
        List<RaftMessageBatch> atA = new CopyOnWriteArrayList<>();
        List<RaftMessageBatch> atB = new CopyOnWriteArrayList<>();
        GrpcRaftTransport a = start(1, bookA, atA);
        GrpcRaftTransport b = start(2, bookB, atB);
        bookA.known.put(2L, b.localAddress());

        assertThat(b.send(TransportFixture.numbered(2, 1, 0, 10))).as("b does not know a yet").isFalse();
        assertThat(a.send(TransportFixture.numbered(1, 2, 0, 10))).isTrue();
        TransportFixture.await("a's batch at b", () -> atB.size() == 1);

        assertThat(bookB.addressOf(1)).contains(new InetSocketAddress("127.0.0.1", a.localAddress().getPort()));
        assertThat(b.send(TransportFixture.numbered(2, 1, 1, 10))).isTrue();
        TransportFixture.await("b's answer at a", () -> atA.size() == 1);
    }

    @Test
    void aTransportThatAnnouncesNothingTeachesNothing() throws Exception {
        LearningBook bookB = new LearningBook();
        List<RaftMessageBatch> atB = new CopyOnWriteArrayList<>();
        GrpcRaftTransport b = start(2, bookB, atB);
        LearningBook bookA = new LearningBook();
        bookA.known.put(2L, b.localAddress());
        GrpcRaftTransport a = GrpcRaftTransport.create(GrpcRaftTransportConfig.defaults(new InetSocketAddress("127.0.0.1", 0)),
                bookA, OpenTelemetry.noop());
        transports.add(a);
        a.start(1, new RaftTransport.Receiver() {
            @Override
            public void receive(RaftMessageBatch batch) {
            }

            @Override
            public void unreachable(long nodeId) {
            }
        });
        assertThat(a.send(TransportFixture.numbered(1, 2, 0, 10))).isTrue();
        TransportFixture.await("a's batch at b", () -> atB.size() == 1);
        assertThat(bookB.addressOf(1)).isEmpty();
    }
}
