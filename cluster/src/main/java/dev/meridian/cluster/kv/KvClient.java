package dev.meridian.cluster.kv;

import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.KeyValue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The Java client of a Meridian cluster's KV API, for applications and
 * {@code meridian workload kv}: a {@link DistSender} over a {@link GrpcRangeTransport}. Routing,
 * retries and errors are the DistSender's (see there); thread-safe.
 *
 * <pre>{@code
 * try (KvClient kv = KvClient.connect(List.of("10.0.0.1:26257"), KvClientConfig.defaults())) {
 *     kv.put(key, value).join();
 * }
 * }</pre>
 */
public final class KvClient implements KvOperations, AutoCloseable {

    private final GrpcRangeTransport transport;
    private final DistSender sender;

    private KvClient(GrpcRangeTransport transport, DistSender sender) {
        this.transport = transport;
        this.sender = sender;
    }

    /**
     * A client that finds the cluster through {@code hostPorts} (any of its nodes). Connects
     * lazily: a wrong address shows on the first request, as UNAVAILABLE at its deadline.
     *
     * @throws IllegalArgumentException if {@code hostPorts} is empty or malformed
     */
    public static KvClient connect(List<String> hostPorts, KvClientConfig config) {
        GrpcRangeTransport transport = GrpcRangeTransport.create(hostPorts, config.transport(), config.otel());
        return new KvClient(transport, new DistSender(transport, config.distSender(), config.otel()));
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key) {
        return sender.get(key);
    }

    @Override
    public CompletableFuture<Void> put(byte[] key, byte[] value) {
        return sender.put(key, value);
    }

    @Override
    public CompletableFuture<Void> delete(byte[] key) {
        return sender.delete(key);
    }

    @Override
    public CompletableFuture<List<KeyValue>> scan(byte[] start, byte[] end, long maxKeys) {
        return sender.scan(start, end, maxKeys);
    }

    @Override
    public CompletableFuture<Void> conditionalPut(byte[] key, byte[] value, byte[] expected) {
        return sender.conditionalPut(key, value, expected);
    }

    @Override
    public CompletableFuture<Long> increment(byte[] key, long delta) {
        return sender.increment(key, delta);
    }

    @Override
    public CompletableFuture<BatchResponse> batch(BatchRequest request) {
        return sender.batch(request);
    }

    /** Closes the connections; requests in flight fail. */
    @Override
    public void close() {
        transport.close();
    }
}
