package dev.meridian.cluster.kv;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One gRPC channel per peer address, opened on first use, that reconnects promptly to a peer
 * that comes back. gRPC retries a failed connection with exponential back-off that grows to
 * two minutes and cannot be configured; a node restarted after a long outage would stay
 * unreachable that long for every peer and client that saw it go. Here, a channel that is in
 * back-off ({@code TRANSIENT_FAILURE}) when it is asked for has its back-off cut short, at most
 * once per {@code minRetryInterval}, so reconnect attempts follow demand: none while nobody
 * asks, about one per interval while requests want the peer. Thread-safe.
 */
public final class ReconnectingChannels implements AutoCloseable {

    private record Entry(ManagedChannel channel, AtomicLong lastResetNanos) {
    }

    private final Function<String, ManagedChannel> open;
    private final long minRetryNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param open             builds the channel for a "host:port"
     * @param minRetryInterval least time between two cut-short back-offs of one channel
     * @param nanoTime         the monotonic clock that interval is measured on
     */
    public ReconnectingChannels(Function<String, ManagedChannel> open, Duration minRetryInterval, LongSupplier nanoTime) {
        this.open = Objects.requireNonNull(open, "open");
        if (minRetryInterval.isNegative() || minRetryInterval.isZero()) {
            throw new IllegalArgumentException("minRetryInterval must be positive: " + minRetryInterval);
        }
        this.minRetryNanos = minRetryInterval.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** The channel to {@code hostPort}; if it is backing off after failed connects, it tries again now. */
    public ManagedChannel get(String hostPort) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        Entry e = channels.computeIfAbsent(hostPort, a -> new Entry(open.apply(a), new AtomicLong(nanoTime.getAsLong())));
        if (e.channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            long now = nanoTime.getAsLong();
            long last = e.lastResetNanos.get();
            if (now - last >= minRetryNanos && e.lastResetNanos.compareAndSet(last, now)) {
                e.channel.resetConnectBackoff();
            }
        }
        return e.channel;
    }

    /** Starts an orderly shutdown of every channel and waits up to {@code timeout} in all; then forces it. */
    public void close(Duration timeout) {
        closed = true;
        for (Entry e : channels.values()) {
            e.channel.shutdown();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Entry e : channels.values()) {
            try {
                if (!e.channel.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    e.channel.shutdownNow();
                }
            } catch (InterruptedException ie) {
                e.channel.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Shuts every channel down at once, cancelling calls in flight. */
    @Override
    public void close() {
        closed = true;
        for (Entry e : channels.values()) {
            e.channel.shutdownNow();
        }
    }
}
