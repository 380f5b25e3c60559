package dev.meridian.server.workload;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.kv.KvOperations;
import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;
import dev.meridian.proto.kv.Error;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.GetResponse;
import dev.meridian.proto.kv.KeyValue;
import dev.meridian.proto.kv.PutResponse;
import dev.meridian.proto.kv.RequestUnion;
import dev.meridian.proto.kv.ResponseUnion;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * An in-memory KvOperations for the workload tests: a sorted map, call counters, every key
 * touched, an injectable latency (simulated on a StepClock) and injectable failures per call.
 */
final class MemoryKv implements KvOperations, AutoCloseable {

    final ConcurrentSkipListMap<byte[], byte[]> data = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
    /** How often each key was read or written, by its text. */
    final ConcurrentSkipListMap<String, LongAdder> keysTouched = new ConcurrentSkipListMap<>();
    final AtomicLong gets = new AtomicLong();
    final AtomicLong puts = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    final AtomicLong batchRequests = new AtomicLong();
    final AtomicBoolean mixedBatch = new AtomicBoolean();
    final AtomicBoolean closed = new AtomicBoolean();

    private final StepClock clock;
    private volatile long delayNanos;
    /** Given the call's number (1, 2, ...), the failure for a get, or null to succeed. */
    private volatile LongFunction<Throwable> getFailure = n -> null;
    private volatile LongFunction<Throwable> putFailure = n -> null;
    /** Throw injected get failures from the call itself, as a buggy client might, instead of failing the future. */
    private volatile boolean throwGetFailures;
    /** Answer every batch with a BatchResponse that carries this error instead of responses. */
    private volatile ErrorKind batchError;

    MemoryKv(StepClock clock) {
        this.clock = clock;
    }

    MemoryKv delay(long nanos) {
        this.delayNanos = nanos;
        return this;
    }

    MemoryKv failGets(LongFunction<Throwable> failure) {
        this.getFailure = failure;
        return this;
    }

    MemoryKv throwGetFailures() {
        this.throwGetFailures = true;
        return this;
    }

    MemoryKv failBatches(ErrorKind kind) {
        this.batchError = kind;
        return this;
    }

    MemoryKv failPuts(LongFunction<Throwable> failure) {
        this.putFailure = failure;
        return this;
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key) {
        Throwable failure = getFailure.apply(gets.incrementAndGet());
        touch(key);
        if (failure instanceof RuntimeException e && throwGetFailures) {
            throw e;
        }
        return failure != null ? CompletableFuture.failedFuture(failure)
                : CompletableFuture.completedFuture(Optional.ofNullable(data.get(key)));
    }

    @Override
    public CompletableFuture<Void> put(byte[] key, byte[] value) {
        Throwable failure = putFailure.apply(puts.incrementAndGet());
        touch(key);
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        data.put(key.clone(), value.clone());
        return CompletableFuture.completedFuture(null);
    }

    private void touch(byte[] key) {
        keysTouched.computeIfAbsent(new String(key, StandardCharsets.UTF_8), k -> new LongAdder()).increment();
        clock.advance(delayNanos);
    }

    @Override
    public CompletableFuture<BatchResponse> batch(BatchRequest request) {
        batches.incrementAndGet();
        batchRequests.addAndGet(request.getRequestsCount());
        BatchResponse.Builder response = BatchResponse.newBuilder();
        if (batchError != null) {
            return CompletableFuture.completedFuture(response.setError(
                    Error.newBuilder().setKind(batchError).setMessage("injected").setIndex(-1)).build());
        }
        RequestUnion.ValueCase first = request.getRequests(0).getValueCase();
        for (RequestUnion r : request.getRequestsList()) {
            mixedBatch.compareAndSet(false, r.getValueCase() != first);
            if (r.hasGet()) {
                byte[] value = data.get(r.getGet().getKey().toByteArray());
                GetResponse.Builder get = GetResponse.newBuilder();
                if (value != null) {
                    get.setValue(ByteString.copyFrom(value));
                }
                response.addResponses(ResponseUnion.newBuilder().setGet(get));
            } else {
                data.put(r.getPut().getKey().toByteArray(), r.getPut().getValue().toByteArray());
                response.addResponses(ResponseUnion.newBuilder().setPut(PutResponse.getDefaultInstance()));
            }
        }
        return CompletableFuture.completedFuture(response.build());
    }

    @Override
    public CompletableFuture<Void> delete(byte[] key) {
        throw new UnsupportedOperationException("the kv workload does not delete");
    }

    @Override
    public CompletableFuture<List<KeyValue>> scan(byte[] start, byte[] end, long maxKeys) {
        throw new UnsupportedOperationException("the kv workload does not scan");
    }

    @Override
    public CompletableFuture<Void> conditionalPut(byte[] key, byte[] value, byte[] expected) {
        throw new UnsupportedOperationException("the kv workload does not use conditional puts");
    }

    @Override
    public CompletableFuture<Long> increment(byte[] key, long delta) {
        throw new UnsupportedOperationException("the kv workload does not increment");
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
