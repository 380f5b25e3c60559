package dev.meridian.cluster.raft.grpc;

import dev.meridian.cluster.raft.grpc.TransportFixture.Node;
import dev.meridian.proto.raft.RaftMessageBatch;
import dev.meridian.proto.raft.RaftStreamClosed;
import dev.meridian.proto.raft.RaftTransportServiceGrpc;
import dev.meridian.raft.Message;
import dev.meridian.raft.MessageType;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.meridian.cluster.raft.grpc.TransportFixture.await;
import static dev.meridian.cluster.raft.grpc.TransportFixture.numbered;
import static dev.meridian.cluster.raft.grpc.TransportFixture.sequence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whatever a peer or a stranger sends, only whole, valid batches for this node get through. */
class InboundValidationTest {

    private final TransportFixture fixture = new TransportFixture();
    private ManagedChannel raw;

    @AfterEach
    void close() throws InterruptedException {
        if (raw != null) {
            raw.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        fixture.close();
    }

    @Test
    void randomBytesOnTheServerPortAreDisconnectedAndPeersStillServed() throws Exception {
        Node a = fixture.start(1);
        Node b = fixture.start(2);
        byte[] garbage = new byte[64 << 10];
        new Random(7).nextBytes(garbage);
        boolean closedByServer;
        try (Socket socket = new Socket("127.0.0.1", b.address().getPort())) {
            socket.setSoTimeout((int) TransportFixture.PATIENCE.toMillis());
            closedByServer = writeThenReadToEnd(socket, garbage);
        }
        assertThat(closedByServer).as("the server hung up on the garbage").isTrue();

        assertThat(a.transport.send(numbered(1, 2, 0, 10))).isTrue();
        await("a real peer is still served", () -> b.received.size() == 1);
        assertThat(b.received.getFirst()).isEqualTo(numbered(1, 2, 0, 10));
    }

    /** True if the server closed or reset the connection, false if it sent something else. */
    private static boolean writeThenReadToEnd(Socket socket, byte[] garbage) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(garbage);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // An HTTP/2 GOAWAY may come first; the end of the stream is what counts.
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    @Test
    void unknownMethodsAndServicesAreUnimplemented() throws Exception {
        Node b = fixture.start(2);
        raw = channelTo(b);
        for (String method : new String[] {"meridian.raft.RaftTransportService/NoSuchMethod", "nope.Service/Call"}) {
            MethodDescriptor<byte[], byte[]> descriptor = MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(method)
                    .setRequestMarshaller(BYTES)
                    .setResponseMarshaller(BYTES)
                    .build();
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(raw, descriptor,
                    CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), new byte[] {1, 2, 3}))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        }
    }

    @Test
    void batchForAnotherNodeIsDroppedAndCounted() throws Exception {
        Node a = fixture.start(1);
        Node b = fixture.start(2);
        fixture.publish(99, b.address()); // a believes node 99 lives where node 2 does

        assertThat(a.transport.send(numbered(1, 99, 0, 10))).isTrue();
        assertThat(a.transport.send(numbered(1, 2, 1, 10))).isTrue();

        await("the stray batch is counted", () -> b.dropped(DropReason.WRONG_NODE) == 1);
        await("the addressed batch arrives", () -> b.received.size() == 1);
        assertThat(sequence(b.received, 1)).containsExactly(1L);
    }

    @Test
    void malformedBatchesAreDroppedAndCountedAndTheStreamGoesOn() throws Exception {
        Node b = fixture.start(2);
        raw = channelTo(b);
        StreamObserver<RaftMessageBatch> stream = RaftTransportServiceGrpc.newStub(raw).raftStream(ignoring());
        RaftMessageBatch good = RaftProtos.toProto(numbered(1, 2, 3, 10));

        stream.onNext(withFirstMessage(good, good.getMessages(0).getMessage().toBuilder().setTypeValue(99).build()));
        stream.onNext(withFirstMessage(good, RaftProtos.toProto(Message.builder(MessageType.HUP).build())));
        stream.onNext(good.toBuilder().setMessages(0, good.getMessages(0).toBuilder().clearMessage()).build());
        stream.onNext(good);

        await("the good batch arrives", () -> b.received.size() == 1);
        // One stream delivers in order, so the three before it were already judged.
        assertThat(b.dropped(DropReason.MALFORMED)).isEqualTo(3);
        assertThat(b.received).containsExactly(numbered(1, 2, 3, 10));
        assertThat(b.counter("batches.received")).isEqualTo(1);
        stream.onCompleted();
    }

    /** Bytes that are no protobuf at all fail the stream in gRPC's parser, before our code. */
    @Test
    void undecodableBytesEndTheirStreamAndPeersAreStillServed() throws Exception {
        Node a = fixture.start(1);
        Node b = fixture.start(2);
        raw = channelTo(b);
        MethodDescriptor<byte[], byte[]> raftStreamAsBytes = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.CLIENT_STREAMING)
                .setFullMethodName(RaftTransportServiceGrpc.getRaftStreamMethod().getFullMethodName())
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
        java.util.concurrent.CompletableFuture<Status> ended = new java.util.concurrent.CompletableFuture<>();
        StreamObserver<byte[]> stream = ClientCalls.asyncClientStreamingCall(
                raw.newCall(raftStreamAsBytes, CallOptions.DEFAULT), new StreamObserver<>() {
                    @Override
                    public void onNext(byte[] value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(Status.OK);
                    }
                });
        // Field 1 with wire type 7, which does not exist.
        stream.onNext(new byte[] {0x0F, 0x01, 0x02});

        Status status = ended.get(TransportFixture.PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(status.isOk()).isFalse();
        assertThat(b.received).isEmpty();
        assertThat(a.transport.send(numbered(1, 2, 0, 10))).isTrue();
        await("a real peer is still served", () -> b.received.size() == 1);
    }

    @Test
    void batchesOfAnOlderStreamAreDroppedOnceANewerOneDelivered() throws Exception {
        Node b = fixture.start(2);
        raw = channelTo(b);
        StreamObserver<RaftMessageBatch> older = RaftTransportServiceGrpc.newStub(raw).raftStream(ignoring());
        StreamObserver<RaftMessageBatch> newer = RaftTransportServiceGrpc.newStub(raw).raftStream(ignoring());
        RaftMessageBatch first = RaftProtos.toProto(numbered(1, 2, 0, 1)).toBuilder()
                .setSenderIncarnation(5).setStreamSeq(2).build();
        RaftMessageBatch late = RaftProtos.toProto(numbered(1, 2, 1, 1)).toBuilder()
                .setSenderIncarnation(5).setStreamSeq(1).build();
        RaftMessageBatch restarted = RaftProtos.toProto(numbered(1, 2, 2, 1)).toBuilder()
                .setSenderIncarnation(6).setStreamSeq(1).build();

        newer.onNext(first);
        await("the newer stream delivers", () -> b.received.size() == 1);
        older.onNext(late);
        await("the late batch is dropped", () -> b.dropped(DropReason.STALE_STREAM) == 1);
        older.onNext(restarted);
        await("a restarted sender is heard", () -> b.received.size() == 2);
        assertThat(sequence(b.received, 1)).containsExactly(0L, 2L);
    }

    private ManagedChannel channelTo(Node node) {
        return NettyChannelBuilder.forAddress(node.address()).usePlaintext().build();
    }

    private static RaftMessageBatch withFirstMessage(RaftMessageBatch batch, dev.meridian.proto.raft.RaftMessage m) {
        return batch.toBuilder().setMessages(0, batch.getMessages(0).toBuilder().setMessage(m)).build();
    }

    private static StreamObserver<RaftStreamClosed> ignoring() {
        return new StreamObserver<>() {
            @Override
            public void onNext(RaftStreamClosed value) {
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    };
}
