package dev.meridian.cluster.raft.grpc;

import dev.meridian.cluster.raft.RaftMessageBatch;
import dev.meridian.cluster.raft.RaftTransport;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.opentelemetry.api.OpenTelemetry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The {@link RaftTransport} between nodes over gRPC: a server receiving every peer's stream, and
 * one client stream per destination node, opened on the first send to it. See the package
 * documentation for the guarantees and the hazards.
 *
 * <p>Threads: one Netty acceptor and {@code ioThreads} Netty event loops (native epoll on Linux,
 * else NIO) shared by the server and all streams. gRPC callbacks (inbound delivery to the
 * {@link RaftTransport.Receiver}, outbound draining) run on the event loops unless
 * {@code callbackThreads} asks for a pool of their own. All are named {@code meridian-raft-grpc-*}.
 */
public final class GrpcRaftTransport implements RaftTransport {

    private static final String INSTRUMENTATION_SCOPE = "dev.meridian.cluster.raft.grpc";

    /**
     * Linux's native epoll transport (shipped inside grpc-netty-shaded) when it loads, else Java
     * NIO. Epoll cut the Raft benchmark's loopback latency; both behave the same otherwise.
     */
    static final boolean EPOLL = Epoll.isAvailable();

    private static EventLoopGroup eventLoopGroup(int threads, String name) {
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        return EPOLL ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }

    private final GrpcRaftTransportConfig config;
    private final NodeAddressBook addresses;
    private final long incarnation;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup eventLoops;
    private final ExecutorService callbacks;
    private final TransportMetrics metrics;
    private final InboundBatches inbound;
    private final Server server;
    private final ConcurrentHashMap<Long, PeerStream> peers = new ConcurrentHashMap<>();
    private volatile long localNodeId;
    private volatile Receiver receiver;
    private volatile boolean closed;
    private volatile String advertisedAddress;

    private GrpcRaftTransport(GrpcRaftTransportConfig config, NodeAddressBook addresses, OpenTelemetry otel,
                              List<io.grpc.BindableService> services) throws IOException {
        this.config = config;
        this.addresses = addresses;
        // Tells this instance's streams apart from those of an earlier run of the same node.
        this.incarnation = new SecureRandom().nextLong();
        this.acceptor = eventLoopGroup(1, "meridian-raft-grpc-accept");
        this.eventLoops = eventLoopGroup(config.ioThreads(), "meridian-raft-grpc-io");
        // Null: callbacks run on the event loops (the default; receivers only enqueue).
        this.callbacks = config.callbackThreads() == 0 ? null : Executors.newFixedThreadPool(config.callbackThreads(),
                new DefaultThreadFactory("meridian-raft-grpc-callback", true));
        this.metrics = new TransportMetrics(otel.getMeter(INSTRUMENTATION_SCOPE),
                () -> peers.values().stream().mapToLong(PeerStream::queuedBatches).sum(),
                () -> peers.values().stream().mapToLong(PeerStream::queuedBytes).sum());
        this.inbound = new InboundBatches(metrics, addresses);
        NettyServerBuilder builder = NettyServerBuilder.forAddress(config.listenAddress())
                .channelType(EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .bossEventLoopGroup(acceptor)
                .workerEventLoopGroup(eventLoops);
        if (callbacks == null) {
            builder.directExecutor();
        } else {
            builder.executor(callbacks);
        }
        builder
                .maxInboundMessageSize(config.maxMessageBytes())
                .permitKeepAliveTime(config.keepAliveTime().toNanos() / 2, TimeUnit.NANOSECONDS)
                .permitKeepAliveWithoutCalls(true)
                .addService(inbound);
        services.forEach(builder::addService);
        Server s = builder.build();
        try {
            this.server = s.start();
        } catch (IOException | RuntimeException e) {
            releaseThreads();
            metrics.close();
            throw e;
        }
    }

    /**
     * Starts the server on {@code config.listenAddress()} (receiving nothing until
     * {@link #start}); streams to other nodes open on demand at the addresses of {@code addresses}.
     *
     * @throws IOException if the address cannot be bound
     */
    public static GrpcRaftTransport create(GrpcRaftTransportConfig config, NodeAddressBook addresses,
                                           OpenTelemetry otel) throws IOException {
        return create(config, addresses, otel, List.of());
    }

    /**
     * As {@link #create(GrpcRaftTransportConfig, NodeAddressBook, OpenTelemetry)}, serving
     * {@code services} (a node's KV and node services) on the same port. They run on the
     * transport's event loops (or callback threads): they must hand blocking work to their own
     * executor.
     */
    public static GrpcRaftTransport create(GrpcRaftTransportConfig config, NodeAddressBook addresses,
                                           OpenTelemetry otel, List<io.grpc.BindableService> services) throws IOException {
        return new GrpcRaftTransport(Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(addresses, "addresses"), Objects.requireNonNull(otel, "otel"), List.copyOf(services));
    }

    /**
     * Makes every batch carry this node's "host:port", so that receivers that do not know it
     * yet can answer (see {@link NodeAddressBook#learn}). Null sends none.
     */
    public void advertise(String hostPort) {
        this.advertisedAddress = hostPort;
    }

    /** The bound address: the actual port when the configured one was 0. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.getListenSockets().getFirst();
    }

    @Override
    public void start(long localNodeId, Receiver receiver) {
        Objects.requireNonNull(receiver, "receiver");
        if (localNodeId <= 0) {
            throw new IllegalArgumentException("node ids are positive: " + localNodeId);
        }
        synchronized (this) {
            if (this.receiver != null) {
                throw new IllegalStateException("already started as node " + this.localNodeId);
            }
            this.localNodeId = localNodeId;
            this.receiver = receiver;
        }
        inbound.start(localNodeId, receiver);
    }

    @Override
    public boolean send(RaftMessageBatch batch) {
        if (receiver == null) {
            throw new IllegalStateException("send before start");
        }
        if (batch.fromNode() != localNodeId) {
            throw new IllegalArgumentException("node " + localNodeId + " cannot send a batch from " + batch.fromNode());
        }
        DropReason dropped = sendOrDropReason(batch);
        if (dropped != null) {
            metrics.dropped(dropped, 1);
            return false;
        }
        return true;
    }

    private DropReason sendOrDropReason(RaftMessageBatch batch) {
        if (closed) {
            return DropReason.CLOSED;
        }
        long to = batch.toNode();
        PeerStream peer = peers.get(to);
        if (peer == null) {
            // Only known nodes get a queue, so a stray id cannot grow the map.
            if (addresses.addressOf(to).isEmpty()) {
                return DropReason.UNKNOWN_NODE;
            }
            peer = peers.computeIfAbsent(to, this::newPeer);
        }
        var proto = RaftProtos.toProto(batch).toBuilder().setSenderIncarnation(incarnation);
        String me = advertisedAddress;
        if (me != null) {
            proto.setSenderAddress(me);
        }
        DropReason dropped = peer.send(proto, batch.messages().size());
        if (closed) {
            // close() may have swept the peers before this one was added: leave no stream behind.
            peer.close();
        }
        return dropped;
    }

    private PeerStream newPeer(long nodeId) {
        return new PeerStream(nodeId, config, addresses, this::newChannel, metrics, this::reportUnreachable,
                System::nanoTime);
    }

    private ManagedChannel newChannel(InetSocketAddress address) {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(address)
                .usePlaintext()
                .channelType(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
                .eventLoopGroup(eventLoops);
        if (callbacks == null) {
            builder.directExecutor();
        } else {
            builder.executor(callbacks);
        }
        return builder
                .keepAliveTime(config.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveWithoutCalls(true)
                // Retries would buffer a copy of what the stream sent; Raft retries by itself.
                .disableRetry()
                .build();
    }

    private void reportUnreachable(long nodeId) {
        Receiver r = receiver;
        if (r != null && !closed) {
            r.unreachable(nodeId);
        }
    }

    /**
     * Ends every outbound stream after what gRPC already holds, cuts the inbound ones, waits up
     * to {@code closeTimeout} for all of it, then forces what is left and stops the threads.
     * Queued batches are dropped.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        long deadline = System.nanoTime() + config.closeTimeout().toNanos();
        List<ManagedChannel> channels = new ArrayList<>();
        for (PeerStream peer : peers.values()) {
            peer.close().ifPresent(channels::add);
        }
        // Peers' streams into this server never end by themselves: cut them. Their senders see
        // the stream break and report this node unreachable, which is what it now is.
        server.shutdownNow();
        try {
            for (ManagedChannel c : channels) {
                if (!c.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS)) {
                    c.shutdownNow();
                }
            }
            server.awaitTermination(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.shutdownNow();
            channels.forEach(ManagedChannel::shutdownNow);
        } finally {
            releaseThreads();
            metrics.close();
        }
    }

    private void releaseThreads() {
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (callbacks != null) {
            callbacks.shutdownNow();
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** The instance's random incarnation, for tests that play a sender by hand. */
    long incarnation() {
        return incarnation;
    }

    Optional<PeerStream> peer(long nodeId) {
        return Optional.ofNullable(peers.get(nodeId));
    }
}
