package dev.meridian.cluster.kv;

import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.FirstRangeRequest;
import dev.meridian.proto.kv.FirstRangeResponse;
import dev.meridian.proto.kv.KvGrpc;
import dev.meridian.proto.kv.NodeDescriptor;
import dev.meridian.proto.kv.NodeGrpc;
import dev.meridian.proto.kv.NodesRequest;
import dev.meridian.proto.kv.NodesResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The {@link RangeTransport} over gRPC, for clients and nodes: one plaintext channel per node
 * address, opened on first use; node ids mapped to addresses by the Node.Nodes RPC of any seed
 * or known node (asked again when a node id is unknown).
 *
 * <p>Failures: every gRPC error completes the future exceptionally with the
 * {@link StatusRuntimeException} (UNAVAILABLE and DEADLINE_EXCEEDED are transport failures: the
 * request may have arrived). Two cases prove that it did not, and complete with
 * {@link RequestNotSentException} instead: no address is known for the node, and the connection
 * could not be established (a {@link ConnectException} under UNAVAILABLE).
 *
 * <p>Thread-safe. Callbacks complete futures on gRPC's default executor.
 */
public final class GrpcRangeTransport implements RangeTransport, AutoCloseable {

    private static final String INSTRUMENTATION_SCOPE = "dev.meridian.cluster.kv";
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("method");
    private static final AttributeKey<String> STATUS = AttributeKey.stringKey("status");

    private final List<String> seeds;
    private final GrpcRangeTransportConfig config;
    /** A node back from an outage is reconnected to within about this long of the next call to it. */
    private static final Duration RECONNECT_INTERVAL = Duration.ofSeconds(1);

    private final ReconnectingChannels channels;
    private final ConcurrentHashMap<Long, String> nodeAddresses = new ConcurrentHashMap<>();
    private final LongCounter calls;
    private volatile boolean closed;

    private GrpcRangeTransport(List<String> seeds, GrpcRangeTransportConfig config, OpenTelemetry otel) {
        this.seeds = List.copyOf(seeds);
        this.config = config;
        this.channels = new ReconnectingChannels(a -> NettyChannelBuilder.forTarget(a).usePlaintext()
                .maxInboundMessageSize(config.maxMessageBytes()).build(), RECONNECT_INTERVAL, System::nanoTime);
        this.calls = otel.getMeter(INSTRUMENTATION_SCOPE).counterBuilder("meridian.kv.transport.calls")
                .setDescription("gRPC calls to nodes, by method and status").build();
    }

    /**
     * A transport that knows the cluster through {@code seeds} ("host:port" of some nodes).
     * Connects lazily: creating it contacts no node.
     *
     * @throws IllegalArgumentException if {@code seeds} is empty or an entry is not host:port
     */
    public static GrpcRangeTransport create(List<String> seeds, GrpcRangeTransportConfig config, OpenTelemetry otel) {
        Objects.requireNonNull(seeds, "seeds");
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("at least one seed address is needed");
        }
        for (String s : seeds) {
            int colon = s == null ? -1 : s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                throw new IllegalArgumentException("not host:port: " + s);
            }
        }
        return new GrpcRangeTransport(seeds, Objects.requireNonNull(config, "config"), Objects.requireNonNull(otel, "otel"));
    }

    @Override
    public CompletableFuture<BatchResponse> send(long nodeId, BatchRequest request) {
        String address = nodeAddresses.get(nodeId);
        if (address != null) {
            return batch(address, request).whenComplete((resp, err) -> {
                if (err instanceof RequestNotSentException) {
                    // The node may have moved: learn the addresses again for the next call.
                    refreshNodes();
                }
            });
        }
        return refreshNodes().handle((v, err) -> nodeAddresses.get(nodeId)).thenCompose(a -> a == null
                ? CompletableFuture.failedFuture(new RequestNotSentException("no address known for n" + nodeId, null))
                : batch(a, request));
    }

    /**
     * Asks the seeds and known nodes in turn; if none knows the first range, learns the node list
     * and asks the nodes it names. Fails (gRPC UNAVAILABLE) if no node answered with it.
     */
    @Override
    public CompletableFuture<FirstRangeResponse> firstRange() {
        return askFirstRange().handle((resp, err) -> err == null
                        ? CompletableFuture.completedFuture(resp)
                        : refreshNodes().handle((v, e) -> null).thenCompose(v -> askFirstRange()))
                .thenCompose(f -> f);
    }

    private CompletableFuture<FirstRangeResponse> askFirstRange() {
        return askInTurn(new ArrayList<>(addresses()), 0, "first_range",
                (address, observer) -> NodeGrpc.newStub(channel(address))
                        .withDeadlineAfter(config.rpcTimeout().toNanos(), TimeUnit.NANOSECONDS)
                        .firstRange(FirstRangeRequest.getDefaultInstance(), observer),
                FirstRangeResponse::hasRangeDescriptor);
    }

    /** Asks the seeds and known nodes in turn for the node list and records every address. */
    CompletableFuture<Void> refreshNodes() {
        return askInTurn(new ArrayList<>(addresses()), 0, "nodes",
                (String address, StreamObserver<NodesResponse> observer) -> NodeGrpc.newStub(channel(address))
                        .withDeadlineAfter(config.rpcTimeout().toNanos(), TimeUnit.NANOSECONDS)
                        .nodes(NodesRequest.getDefaultInstance(), observer),
                r -> true)
                .thenAccept(resp -> {
                    for (NodeDescriptor n : resp.getNodesList()) {
                        if (!n.getAddress().isEmpty()) {
                            nodeAddresses.put(n.getNodeId(), n.getAddress());
                        }
                    }
                });
    }

    private LinkedHashSet<String> addresses() {
        LinkedHashSet<String> all = new LinkedHashSet<>(seeds);
        all.addAll(nodeAddresses.values());
        return all;
    }

    /** Asks {@code addresses[i..]} one after another until one answers with an acceptable response. */
    private <T> CompletableFuture<T> askInTurn(List<String> addresses, int i, String method,
                                              BiConsumer<String, StreamObserver<T>> call, Predicate<T> acceptable) {
        if (i >= addresses.size()) {
            return CompletableFuture.failedFuture(new StatusRuntimeException(
                    Status.UNAVAILABLE.withDescription(method + ": no node of " + addresses + " answered")));
        }
        return this.<T>unary(method, observer -> call.accept(addresses.get(i), observer))
                .handle((T resp, Throwable err) -> err == null && acceptable.test(resp)
                        ? CompletableFuture.completedFuture(resp)
                        : askInTurn(addresses, i + 1, method, call, acceptable))
                .thenCompose(f -> f);
    }

    private CompletableFuture<BatchResponse> batch(String address, BatchRequest request) {
        return this.<BatchResponse>unary("batch", observer -> KvGrpc.newStub(channel(address))
                .withDeadlineAfter(config.rpcTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .batch(request, observer));
    }

    private <T> CompletableFuture<T> unary(String method, java.util.function.Consumer<StreamObserver<T>> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new RequestNotSentException("transport closed", null));
            return result;
        }
        call.accept(new StreamObserver<>() {
            @Override
            public void onNext(T value) {
                result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                calls.add(1, Attributes.of(METHOD, method, STATUS, Status.fromThrowable(t).getCode().name()));
                result.completeExceptionally(classify(t));
            }

            @Override
            public void onCompleted() {
                calls.add(1, Attributes.of(METHOD, method, STATUS, Status.Code.OK.name()));
                if (!result.isDone()) {
                    result.completeExceptionally(new StatusRuntimeException(
                            Status.INTERNAL.withDescription(method + ": no response")));
                }
            }
        });
        return result;
    }

    /**
     * A gRPC call failure as DistSender must see it: a {@link RequestNotSentException} when the
     * connection was refused (the request never left), else the failure itself (outcome unknown).
     */
    public static Throwable classify(Throwable t) {
        Status status = Status.fromThrowable(t);
        return neverSent(status) ? new RequestNotSentException("could not connect: " + status, t) : t;
    }

    private static boolean neverSent(Status status) {
        if (status.getCode() != Status.Code.UNAVAILABLE) {
            return false;
        }
        for (Throwable c = status.getCause(); c != null; c = c.getCause()) {
            if (c instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    private ManagedChannel channel(String address) {
        return channels.get(address);
    }

    /** Closes every channel, waiting up to the close timeout for calls in flight. */
    @Override
    public void close() {
        closed = true;
        channels.close(config.closeTimeout());
    }
}
