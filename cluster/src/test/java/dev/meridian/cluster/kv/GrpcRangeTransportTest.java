package dev.meridian.cluster.kv;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.proto.kv.BatchHeader;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.FirstRangeResponse;
import dev.meridian.proto.kv.GetResponse;
import dev.meridian.proto.kv.NodeDescriptor;
import dev.meridian.proto.kv.ResponseUnion;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** GrpcRangeTransport against real gRPC servers on loopback. */
class GrpcRangeTransportTest {

    private FakeNodeServer n1;
    private FakeNodeServer n2;
    private GrpcRangeTransport transport;

    /** Each node answers a batch with a get response naming itself and the range it was sent for. */
    private static BatchResponse signed(long node, BatchRequest r) {
        return BatchResponse.newBuilder().addResponses(ResponseUnion.newBuilder().setGet(GetResponse.newBuilder()
                .setValue(ByteString.copyFromUtf8("n" + node + "/r" + r.getHeader().getRangeId())))).build();
    }

    @BeforeEach
    void start() throws IOException {
        n1 = new FakeNodeServer(1, r -> signed(1, r));
        n2 = new FakeNodeServer(2, r -> signed(2, r));
        List<NodeDescriptor> nodes = List.of(n1.descriptor(), n2.descriptor(),
                NodeDescriptor.newBuilder().setNodeId(3).setAddress("127.0.0.1:" + closedPort()).build());
        n1.nodes = nodes;
        n2.nodes = nodes;
        transport = GrpcRangeTransport.create(List.of(n1.address()), GrpcRangeTransportConfig.defaults()
                .withRpcTimeout(Duration.ofMillis(500)), OpenTelemetry.noop());
    }

    @AfterEach
    void stop() throws InterruptedException {
        transport.close();
        n1.close();
        n2.close();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static BatchRequest forRange(long rangeId) {
        return BatchRequest.newBuilder().setHeader(BatchHeader.newBuilder().setRangeId(rangeId)).build();
    }

    @Test
    void aCallReachesTheNodeItNames() {
        BatchResponse toTwo = transport.send(2, forRange(7)).join();
        BatchResponse toOne = transport.send(1, forRange(8)).join();

        assertThat(toTwo.getResponses(0).getGet().getValue().toStringUtf8()).isEqualTo("n2/r7");
        assertThat(toOne.getResponses(0).getGet().getValue().toStringUtf8()).isEqualTo("n1/r8");
        assertThat(n2.received).extracting(r -> r.getHeader().getRangeId()).containsExactly(7L);
        assertThat(n1.received).extracting(r -> r.getHeader().getRangeId()).containsExactly(8L);
    }

    @Test
    void firstRangeIsAskedOfTheNodesInTurn() {
        FirstRangeResponse known = FirstRangeResponse.newBuilder()
                .setRangeDescriptor(FakeCluster.descriptor(1, Keys.MIN, Keys.USER_MIN, 4, 2)).build();
        n2.firstRange = known; // the seed n1 does not know it

        assertThat(transport.firstRange().join()).isEqualTo(known);
    }

    @Test
    void anUnreachableNodeCompletesExceptionallyAndSaysNothingWasSent() {
        Throwable refused = catchThrowable(() -> transport.send(3, forRange(1)).join());
        assertThat(refused).isInstanceOf(CompletionException.class).hasCauseInstanceOf(RequestNotSentException.class);

        Throwable unknown = catchThrowable(() -> transport.send(9, forRange(1)).join());
        assertThat(unknown).hasCauseInstanceOf(RequestNotSentException.class);
    }

    @Test
    void aNodeThatDoesNotAnswerFailsAtTheCallDeadlineAsATransportFailure() {
        n2.onBatch = r -> null;
        Throwable t = catchThrowable(() -> transport.send(2, forRange(1)).join());

        assertThat(t.getCause()).isInstanceOf(StatusRuntimeException.class);
        assertThat(Status.fromThrowable(t.getCause()).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }

    @Test
    void aServerErrorCompletesExceptionally() {
        n2.onBatch = r -> {
            throw Status.INTERNAL.withDescription("boom").asRuntimeException();
        };
        Throwable t = catchThrowable(() -> transport.send(2, forRange(1)).join());
        assertThat(Status.fromThrowable(t.getCause()).getCode()).isEqualTo(Status.Code.INTERNAL);
    }

    @Test
    void badSeedsAreRefused() {
        assertThatThrownBy(() -> GrpcRangeTransport.create(List.of(), GrpcRangeTransportConfig.defaults(), OpenTelemetry.noop()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GrpcRangeTransport.create(List.of("nohost"), GrpcRangeTransportConfig.defaults(),
                OpenTelemetry.noop())).isInstanceOf(IllegalArgumentException.class);
    }
}
