package dev.meridian.cluster.raft.grpc;

import dev.meridian.cluster.raft.GroupMessage;
import dev.meridian.cluster.raft.RaftMessageBatch;
import dev.meridian.cluster.raft.grpc.TransportFixture.Node;
import dev.meridian.raft.ConfState;
import dev.meridian.raft.Entry;
import dev.meridian.raft.Message;
import dev.meridian.raft.MessageType;
import dev.meridian.raft.Snapshot;
import dev.meridian.raft.SnapshotMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;

import static dev.meridian.cluster.raft.grpc.TransportFixture.await;
import static dev.meridian.cluster.raft.grpc.TransportFixture.numbered;
import static dev.meridian.cluster.raft.grpc.TransportFixture.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcRaftTransportTest {

    private final TransportFixture fixture = new TransportFixture();

    @AfterEach
    void closeTransports() {
        fixture.close();
    }

    @Test
    void twoNodesExchangeBatchesInSendOrder() throws Exception {
        Node a = fixture.start(1);
        Node b = fixture.start(2);
        int n = 300;
        for (int i = 0; i < n; i++) {
            assertThat(a.transport.send(numbered(1, 2, i, 100))).isTrue();
            assertThat(b.transport.send(numbered(2, 1, i, 100))).isTrue();
        }
        await("both sides receive all", () -> a.received.size() == n && b.received.size() == n);
        List<Long> expected = LongStream.range(0, n).boxed().toList();
        assertThat(sequence(b.received, 1)).isEqualTo(expected);
        assertThat(sequence(a.received, 2)).isEqualTo(expected);
        assertThat(b.received.get(7)).isEqualTo(numbered(1, 2, 7, 100));
        assertThat(a.counter("batches.sent")).isEqualTo(n);
        assertThat(a.counter("messages.sent")).isEqualTo(n);
        assertThat(b.counter("batches.received")).isEqualTo(n);
        assertThat(b.counter("messages.received")).isEqualTo(n);
        assertThat(b.counter("bytes.received")).isEqualTo(a.counter("bytes.sent")).isGreaterThan(n * 100L);
        assertThat(a.dropped(null)).isZero();
        assertThat(a.unreachable).isEmpty();
    }

    /** Callbacks on a pool of their own (instead of the event loops) keep the same order. */
    @Test
    void callbacksOnTheirOwnThreadsKeepOrder() throws Exception {
        Node a = fixture.start(1, new InetSocketAddress("127.0.0.1", 0), c -> c.withCallbackThreads(2));
        Node b = fixture.start(2, new InetSocketAddress("127.0.0.1", 0), c -> c.withCallbackThreads(2));
        int n = 200;
        for (int i = 0; i < n; i++) {
            assertThat(a.transport.send(numbered(1, 2, i, 64))).isTrue();
        }
        await("b receives all", () -> b.received.size() == n);
        assertThat(sequence(b.received, 1)).isEqualTo(LongStream.range(0, n).boxed().toList());
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName))
                .anyMatch(name -> name.startsWith("meridian-raft-grpc-callback"));
    }

    @Test
    void threeNodesKeepOrderPerPair() throws Exception {
        List<Node> nodes = List.of(fixture.start(1), fixture.start(2), fixture.start(3));
        int n = 150;
        for (int i = 0; i < n; i++) {
            for (Node from : nodes) {
                for (Node to : nodes) {
                    if (from != to) {
                        assertThat(from.transport.send(numbered(from.id, to.id, i, 10))).isTrue();
                    }
                }
            }
        }
        await("every node receives from both others", () -> nodes.stream().allMatch(x -> x.received.size() == 2 * n));
        List<Long> expected = LongStream.range(0, n).boxed().toList();
        for (Node to : nodes) {
            for (Node from : nodes) {
                if (from != to) {
                    assertThat(sequence(to.received, from.id)).as("%d -> %d", from.id, to.id).isEqualTo(expected);
                }
            }
            assertThat(to.received).allMatch(batch -> batch.toNode() == to.id);
        }
    }

    @Test
    void largeBatchArrivesIntact() throws Exception {
        Node a = fixture.start(1);
        Node b = fixture.start(2);
        Random random = new Random(42);
        List<Entry> entries = new ArrayList<>();
        for (int i = 1; i <= 64; i++) {
            byte[] data = new byte[64 << 10];
            random.nextBytes(data);
            entries.add(Entry.normal(3, i, data));
        }
        byte[] snapshotData = new byte[1 << 20];
        random.nextBytes(snapshotData);
        Snapshot snapshot = new Snapshot(new SnapshotMetadata(100, 3,
                new ConfState(List.of(1L, 2L, 3L), List.of(4L), List.of(1L, 2L, 5L), List.of(5L), true)), snapshotData);
        RaftMessageBatch batch = new RaftMessageBatch(1, 2, List.of(
                new GroupMessage(9, Message.builder(MessageType.APP).from(1).to(2).term(3).entries(entries).build()),
                new GroupMessage(10, Message.builder(MessageType.SNAP).from(1).to(2).term(3).snapshot(snapshot).build())));

        assertThat(a.transport.send(batch)).isTrue();

        await("the large batch arrives", () -> b.received.size() == 1);
        assertThat(b.received.getFirst()).isEqualTo(batch);
        assertThat(b.counter("bytes.received")).isGreaterThan(5L << 20);
    }

    @Test
    void batchLargerThanTheMessageLimitIsDroppedBeforeQueueing() throws Exception {
        Node a = fixture.start(1, new InetSocketAddress("127.0.0.1", 0), c -> c.withMaxMessageBytes(1 << 20, 1 << 20));
        Node b = fixture.start(2);
        RaftMessageBatch tooLarge = numbered(1, 2, 0, 2 << 20);

        assertThat(a.transport.send(tooLarge)).isFalse();
        assertThat(a.transport.send(numbered(1, 2, 1, 10))).isTrue();

        await("the small batch arrives", () -> b.received.size() == 1);
        assertThat(sequence(b.received, 1)).containsExactly(1L);
        assertThat(a.dropped(DropReason.TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void unknownDestinationIsDroppedAndCounted() throws Exception {
        Node a = fixture.start(1);
        assertThat(a.transport.send(numbered(1, 77, 0, 1))).isFalse();
        assertThat(a.dropped(DropReason.UNKNOWN_NODE)).isEqualTo(1);
        assertThat(a.transport.peer(77)).isEmpty();
    }

    @Test
    void downDestinationIsReportedUnreachableAndReconnectedOnceUp() throws Exception {
        Node a = fixture.start(1);
        InetSocketAddress later = unusedAddress();
        fixture.publish(2, later);

        a.transport.send(numbered(1, 2, 0, 1));
        await("node 2 reported unreachable", () -> a.unreachable.contains(2L));
        assertThat(a.unreachable).containsOnly(2L);

        Node b = fixture.start(2, later, c -> c);
        long[] seq = {1};
        await("a batch reaches node 2 once it is up", () -> {
            a.transport.send(numbered(1, 2, seq[0]++, 1));
            return !b.received.isEmpty();
        });
        assertThat(a.counter("reconnects")).isGreaterThanOrEqualTo(1);
        await("the new stream keeps delivering", () -> {
            a.transport.send(numbered(1, 2, seq[0]++, 1));
            return b.received.size() >= 3;
        });
        // What arrives is in send order, whatever was lost while node 2 was down.
        assertThat(sequence(b.received, 1)).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void sendsDuringTheReconnectionBackoffAreDropped() throws Exception {
        Node a = fixture.start(1, new InetSocketAddress("127.0.0.1", 0),
                c -> c.withReconnectBackoff(Duration.ofHours(1), Duration.ofHours(2)));
        fixture.publish(2, unusedAddress());

        // Accepted, unless the stream failed while it was being opened (then dropped at once).
        a.transport.send(numbered(1, 2, 0, 1));
        await("node 2 reported unreachable", () -> a.unreachable.contains(2L));
        assertThat(a.transport.send(numbered(1, 2, 1, 1))).isFalse();

        assertThat(a.dropped(DropReason.BACKOFF)).isEqualTo(1);
        // The first batch was handed to gRPC, or dropped with its broken stream: never stranded.
        assertThat(a.dropped(DropReason.STREAM_BROKEN) + a.counter("batches.sent")).isEqualTo(1);
        assertThat(a.transport.peer(2).orElseThrow().queuedBatches()).isZero();
    }

    @Test
    void aPeerThatStopsIsReportedUnreachable() throws Exception {
        Node a = fixture.start(1);
        Node b = fixture.start(2);
        assertThat(a.transport.send(numbered(1, 2, 0, 1))).isTrue();
        await("first batch", () -> b.received.size() == 1);

        b.transport.close();

        await("node 2 reported unreachable", () -> a.unreachable.contains(2L));
        assertThat(a.unreachable).containsExactly(2L);
    }

    @Test
    void batchesArrivingBeforeStartAreDropped() throws Exception {
        Node a = fixture.start(1);
        Node b = fixture.create(2, new InetSocketAddress("127.0.0.1", 0), c -> c);

        assertThat(a.transport.send(numbered(1, 2, 0, 1))).isTrue();

        await("the early batch is counted", () -> b.dropped(DropReason.NOT_STARTED) == 1);
        assertThat(b.received).isEmpty();
        assertThatThrownBy(() -> b.transport.send(numbered(2, 1, 0, 1))).isInstanceOf(IllegalStateException.class);
    }

    private static InetSocketAddress unusedAddress() throws java.io.IOException {
        try (ServerSocket reserve = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return new InetSocketAddress("127.0.0.1", reserve.getLocalPort());
        }
    }

    /**
     * A receiver that does not return stops its sender's stream (HTTP/2 flow control), so the
     * sender's queue fills and drops instead of growing; once the receiver returns, what was
     * queued arrives in order.
     */
    @Test
    void slowReceiverMakesTheSenderDropWithinItsQueueLimits() throws Exception {
        int queueBatches = 8;
        long queueBytes = 1 << 20;
        Node a = fixture.start(1, new InetSocketAddress("127.0.0.1", 0),
                c -> c.withMaxMessageBytes(1 << 20, queueBytes).withQueueLimits(queueBatches, queueBytes));
        Node b = fixture.start(2);
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        b.onReceive = batch -> {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };

        List<Long> accepted = new ArrayList<>();
        int payload = 64 << 10;
        // The stream is open and the receiver stuck before the flood starts, so what fills the
        // queue is the receiver's slowness, not a stream still connecting.
        assertThat(a.transport.send(numbered(1, 2, 0, payload))).isTrue();
        accepted.add(0L);
        blocked.await();
        int attempts = 1;
        long maxQueued = 0;
        // 64 KiB batches until 50 were dropped: a bounded loop of at most 320 MiB offered.
        while (a.dropped(DropReason.QUEUE_FULL) < 50 && attempts < 5000) {
            if (a.transport.send(numbered(1, 2, attempts, payload))) {
                accepted.add((long) attempts);
            }
            attempts++;
            PeerStream peer = a.transport.peer(2).orElseThrow();
            assertThat(peer.queuedBatches()).isLessThanOrEqualTo(queueBatches);
            assertThat(peer.queuedBytes()).isLessThanOrEqualTo(queueBytes);
            maxQueued = Math.max(maxQueued, a.gauge("queue.batches"));
        }
        assertThat(a.dropped(DropReason.QUEUE_FULL)).isEqualTo(50);
        assertThat(maxQueued).isLessThanOrEqualTo(queueBatches);
        // Flow-control windows and socket buffers took some before the queue filled.
        assertThat(accepted.size()).isGreaterThan(queueBatches + 1);
        // What left the queue is bounded by flow-control windows and socket buffers, not by
        // what was offered (attempts * 64 KiB).
        assertThat(a.counter("bytes.sent")).isLessThan(64L << 20).isLessThan((long) attempts * payload / 2);

        release.countDown();
        await("every accepted batch arrives", () -> b.received.size() == accepted.size());
        assertThat(sequence(b.received, 1)).isEqualTo(accepted);
        assertThat(a.unreachable).isEmpty();
    }

    @Test
    void closeDropsLaterSendsAndStopsItsThreads() throws Exception {
        Node a = fixture.start(1);
        Node b = fixture.start(2);
        assertThat(a.transport.send(numbered(1, 2, 0, 1))).isTrue();
        await("first batch", () -> b.received.size() == 1);

        a.transport.close();
        b.transport.close();

        assertThat(a.transport.send(numbered(1, 2, 1, 1))).isFalse();
        assertThat(a.dropped(DropReason.CLOSED)).isEqualTo(1);
        await("no transport thread left", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("meridian-raft-grpc")));
    }

    @Test
    void sendingIsForTheLocalNodeOnlyAfterStart() throws Exception {
        Node a = fixture.start(1);
        assertThatThrownBy(() -> a.transport.send(numbered(5, 2, 0, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.transport.start(1, a)).isInstanceOf(IllegalStateException.class);
    }
}
