package dev.meridian.cluster.kv;

import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.KeyValue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The non-transactional KV API of a cluster, as the Java KV client and a node's own routing
 * layer offer it. Every operation is atomic on its key (or its batch, within one range) and
 * linearizable. Futures fail with {@link KvException}.
 */
public interface KvOperations {

    /** The value of {@code key}, empty if absent or deleted. */
    CompletableFuture<Optional<byte[]>> get(byte[] key);

    CompletableFuture<Void> put(byte[] key, byte[] value);

    CompletableFuture<Void> delete(byte[] key);

    /** Up to {@code maxKeys} (0: all) live rows of {@code [start, end)} in key order, across ranges. */
    CompletableFuture<List<KeyValue>> scan(byte[] start, byte[] end, long maxKeys);

    /**
     * Writes {@code value} if the key's value is {@code expected} ({@code null}: absent); fails
     * with CONDITION_FAILED, carrying the actual value, otherwise.
     */
    CompletableFuture<Void> conditionalPut(byte[] key, byte[] value, byte[] expected);

    /** Adds {@code delta} to the 8-byte big-endian counter at {@code key}; the new value. */
    CompletableFuture<Long> increment(byte[] key, long delta);

    /** Sends a batch that may span ranges; requests of one range apply atomically. */
    CompletableFuture<BatchResponse> batch(BatchRequest request);
}
