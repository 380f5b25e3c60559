package dev.meridian.cluster.raft.grpc;

import dev.meridian.proto.raft.RaftMessageBatch;
import dev.meridian.proto.raft.RaftStreamClosed;
import dev.meridian.proto.raft.RaftTransportServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The outbound side towards one destination node: a bounded queue and at most one open gRPC
 * stream, which drains the queue only while gRPC says the stream is ready. A slow receiver
 * therefore stops the draining (HTTP/2 flow control), the queue fills, and further sends are
 * dropped: memory per destination stays within the queue limits plus the batch gRPC is writing.
 *
 * <p>Every field below the lock comment is guarded by {@code this}. The queue only ever holds
 * batches stamped for the current stream: it is emptied when that stream breaks, and a new
 * stream is opened (after the backoff) by the next send, never in the background.
 */
final class PeerStream {

    /** A batch ready for the wire with what the metrics need to know of it. */
    private record Queued(RaftMessageBatch proto, int bytes, int messages) {
    }

    private final long nodeId;
    private final GrpcRaftTransportConfig config;
    private final NodeAddressBook addresses;
    private final Function<InetSocketAddress, ManagedChannel> channels;
    private final TransportMetrics metrics;
    private final LongConsumer unreachable;
    private final LongSupplier nanoClock;

    // Guarded by this.
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private long queuedBytes;
    private ManagedChannel channel;
    private Stream current;
    private long streamSeq;
    private long backoffNanos;
    private long retryAtNanos;
    private boolean closed;

    PeerStream(long nodeId, GrpcRaftTransportConfig config, NodeAddressBook addresses,
               Function<InetSocketAddress, ManagedChannel> channels, TransportMetrics metrics,
               LongConsumer unreachable, LongSupplier nanoClock) {
        this.nodeId = nodeId;
        this.config = config;
        this.addresses = addresses;
        this.channels = channels;
        this.metrics = metrics;
        this.unreachable = unreachable;
        this.nanoClock = nanoClock;
    }

    /**
     * Queues a batch (connecting first if there is no stream) and sends what the stream accepts.
     * Never blocks on the network.
     *
     * @return null if queued, else why the batch was dropped (the caller counts it)
     */
    synchronized DropReason send(RaftMessageBatch.Builder batch, int messages) {
        if (closed) {
            return DropReason.CLOSED;
        }
        if (current == null) {
            if (retryAtNanos != 0 && nanoClock.getAsLong() - retryAtNanos < 0) {
                return DropReason.BACKOFF;
            }
            if (!connectLocked()) {
                return DropReason.UNKNOWN_NODE;
            }
            if (current == null) {
                // The new stream failed while it was being opened (gRPC ran its failure callback
                // on this thread): queueing now would strand the batch until the next stream.
                return DropReason.STREAM_BROKEN;
            }
        }
        RaftMessageBatch proto = batch.setStreamSeq(streamSeq).build();
        int bytes = proto.getSerializedSize();
        if (bytes > config.maxMessageBytes()) {
            return DropReason.TOO_LARGE;
        }
        if (queue.size() >= config.queueMaxBatches() || queuedBytes + bytes > config.queueMaxBytes()) {
            return DropReason.QUEUE_FULL;
        }
        queue.addLast(new Queued(proto, bytes, messages));
        queuedBytes += bytes;
        drainLocked();
        return null;
    }

    synchronized int queuedBatches() {
        return queue.size();
    }

    synchronized long queuedBytes() {
        return queuedBytes;
    }

    /** Ends the stream after what gRPC already holds and drops the queue; returns the channel to await. */
    synchronized Optional<ManagedChannel> close() {
        closed = true;
        metrics.dropped(DropReason.CLOSED, queue.size());
        queue.clear();
        queuedBytes = 0;
        if (current != null) {
            current.requests.onCompleted();
            current = null;
        }
        ManagedChannel c = channel;
        channel = null;
        if (c != null) {
            c.shutdown();
        }
        return Optional.ofNullable(c);
    }

    private boolean connectLocked() {
        Optional<InetSocketAddress> address = addresses.addressOf(nodeId);
        if (address.isEmpty()) {
            return false;
        }
        // A fresh channel per stream: the address is looked up again, and gRPC's own reconnect
        // backoff (which can grow to minutes) never delays us once our shorter one has passed.
        channel = channels.apply(address.get());
        if (streamSeq > 0) {
            metrics.reconnected();
        }
        streamSeq++;
        Stream stream = new Stream();
        current = stream;
        RaftTransportServiceGrpc.newStub(channel).raftStream(stream);
        return true;
    }

    private void drainLocked() {
        while (current != null && current.requests != null && current.requests.isReady() && !queue.isEmpty()) {
            Queued q = queue.removeFirst();
            queuedBytes -= q.bytes();
            // Counted before the hand-off to gRPC, so a receiver never sees an uncounted batch.
            metrics.sent(q.messages(), q.bytes());
            current.requests.onNext(q.proto());
        }
    }

    private synchronized void onReady(Stream stream) {
        if (stream == current) {
            backoffNanos = 0;
            retryAtNanos = 0;
            drainLocked();
        }
    }

    private void onEnded(Stream stream) {
        boolean wasCurrent;
        synchronized (this) {
            wasCurrent = stream == current && !closed;
            if (wasCurrent) {
                brokenLocked();
            }
        }
        if (wasCurrent) {
            // Outside the lock: the node's handler may call send().
            unreachable.accept(nodeId);
        }
    }

    private void brokenLocked() {
        current = null;
        metrics.dropped(DropReason.STREAM_BROKEN, queue.size());
        queue.clear();
        queuedBytes = 0;
        channel.shutdownNow();
        channel = null;
        long min = config.reconnectBackoffMin().toNanos();
        long max = config.reconnectBackoffMax().toNanos();
        backoffNanos = backoffNanos == 0 ? min : Math.min(max, backoffNanos * 2);
        retryAtNanos = nanoClock.getAsLong() + backoffNanos;
        if (retryAtNanos == 0) {
            retryAtNanos = 1;
        }
    }

    /** One gRPC stream; callbacks arrive serially on the callback executor. */
    private final class Stream implements ClientResponseObserver<RaftMessageBatch, RaftStreamClosed> {
        private ClientCallStreamObserver<RaftMessageBatch> requests;

        @Override
        public void beforeStart(ClientCallStreamObserver<RaftMessageBatch> requestStream) {
            // Called inside raftStream(), under the PeerStream lock.
            requests = requestStream;
            requestStream.setOnReadyHandler(() -> onReady(this));
        }

        @Override
        public void onNext(RaftStreamClosed value) {
        }

        @Override
        public void onError(Throwable t) {
            onEnded(this);
        }

        @Override
        public void onCompleted() {
            onEnded(this);
        }
    }
}
