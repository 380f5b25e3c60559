package dev.meridian.benchmarks.raft;

import dev.meridian.cluster.raft.RaftTransport;
import dev.meridian.cluster.raft.grpc.GrpcRaftTransport;
import dev.meridian.cluster.raft.grpc.GrpcRaftTransportConfig;
import dev.meridian.cluster.raft.grpc.NodeAddressBook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import dev.meridian.cluster.raft.driver.DriverConfig;
import dev.meridian.cluster.raft.driver.DriverStats;
import dev.meridian.cluster.raft.driver.GroupStatus;
import dev.meridian.cluster.raft.driver.MultiRaftDriver;
import dev.meridian.cluster.raft.driver.Peer;
import dev.meridian.cluster.raft.driver.StateMachine;
import dev.meridian.cluster.raft.memory.InMemoryRaftNetwork;
import dev.meridian.raft.Role;
import dev.meridian.storage.Engine;
import dev.meridian.storage.rocksdb.RocksDbEngine;
import io.opentelemetry.api.OpenTelemetry;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Replicated proposals through three MultiRaft drivers in one process, each on its own
 * RocksDB engine (synced log writes) in a temporary directory. For each concurrency level,
 * that many proposers each propose 128 bytes to a group's leader and wait until it is applied
 * there before proposing again. Prints proposals per second and the propose-to-applied latency.
 *
 * <pre>
 * java -cp ... dev.meridian.benchmarks.raft.RaftProposalBenchmark \
 *     [--transport memory|grpc] [--groups 1] [--concurrency 1,16,256] [--seconds 10] [--warmup 3]
 *     [--leader-append parallel|serial]
 * </pre>
 * Not a test: it reports, it never fails on a figure.
 */
public final class RaftProposalBenchmark {

    private static final List<Long> NODES = List.of(1L, 2L, 3L);
    private static final int PAYLOAD_BYTES = 128;

    /** Makes each node's transport. */
    interface TransportFactory extends AutoCloseable {
        RaftTransport create(long nodeId);

        @Override
        void close();
    }

    record Options(String transport, int groups, List<Integer> concurrency, int seconds, int warmupSeconds,
                   boolean parallelLeaderAppend) {
        static Options parse(String[] args) {
            String transport = "memory";
            int groups = 1;
            List<Integer> concurrency = List.of(1, 16, 256);
            int seconds = 10;
            int warmup = 3;
            boolean parallel = true;
            for (int i = 0; i + 1 < args.length; i += 2) {
                String v = args[i + 1];
                switch (args[i]) {
                    case "--transport" -> transport = v;
                    case "--groups" -> groups = Integer.parseInt(v);
                    case "--concurrency" -> concurrency = Stream.of(v.split(",")).map(Integer::parseInt).toList();
                    case "--seconds" -> seconds = Integer.parseInt(v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--leader-append" -> parallel = switch (v) {
                        case "parallel" -> true;
                        case "serial" -> false;
                        default -> throw new IllegalArgumentException("--leader-append parallel|serial, not " + v);
                    };
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(transport, groups, concurrency, seconds, warmup, parallel);
        }
    }

    private RaftProposalBenchmark() {
    }

    /**
     * The transport between the three nodes: {@code memory} (an in-process hub) or {@code grpc}
     * (one gRPC transport per node on a loopback port, as the figures ask).
     */
    static TransportFactory transportFactory(String name) {
        return switch (name) {
            case "memory" -> {
                InMemoryRaftNetwork network = new InMemoryRaftNetwork();
                yield new TransportFactory() {
                    @Override
                    public RaftTransport create(long nodeId) {
                        return network.newTransport();
                    }

                    @Override
                    public void close() {
                        network.close();
                    }
                };
            }
            case "grpc" -> {
                // One gRPC transport per node on an ephemeral loopback port; the address book is
                // filled as each binds, before any node sends.
                ConcurrentSkipListMap<Long, InetSocketAddress> addresses = new ConcurrentSkipListMap<>();
                NodeAddressBook book = nodeId -> Optional.ofNullable(addresses.get(nodeId));
                yield new TransportFactory() {
                    @Override
                    public RaftTransport create(long nodeId) {
                        try {
                            GrpcRaftTransport t = GrpcRaftTransport.create(GrpcRaftTransportConfig.defaults(
                                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)), book, OpenTelemetry.noop());
                            addresses.put(nodeId, t.localAddress());
                            return t;
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot bind a gRPC transport on loopback", e);
                        }
                    }

                    @Override
                    public void close() {
                    }
                };
            }
            default -> throw new IllegalArgumentException("--transport memory|grpc, not " + name);
        };
    }

    /** Counts applied commands; its snapshot is the count. */
    static final class CountingStateMachine implements StateMachine {
        private long applied;
        private long count;

        @Override
        public synchronized void apply(long index, byte[] command) {
            applied = index;
            count++;
        }

        @Override
        public synchronized long appliedIndex() {
            return applied;
        }

        @Override
        public synchronized byte[] snapshot() {
            return java.nio.ByteBuffer.allocate(8).putLong(count).array();
        }

        @Override
        public synchronized void restore(long index, byte[] data) {
            applied = index;
            count = java.nio.ByteBuffer.wrap(data).getLong();
        }
    }

    public static void main(String[] args) throws Exception {
        Options opts = Options.parse(args);
        Path dir = Files.createTempDirectory("meridian-raft-bench");
        List<Engine> engines = new ArrayList<>();
        List<MultiRaftDriver> drivers = new ArrayList<>();
        try (TransportFactory transports = transportFactory(opts.transport())) {
            List<RaftTransport> opened = new ArrayList<>();
            DriverConfig config = DriverConfig.defaults().withTickInterval(Duration.ofMillis(50))
                    .withLeaderAppendsInParallel(opts.parallelLeaderAppend());
            for (long n : NODES) {
                Engine engine = RocksDbEngine.open(dir.resolve("n" + n));
                engines.add(engine);
                RaftTransport t = transports.create(n);
                opened.add(t);
                drivers.add(new MultiRaftDriver(n, engine, t, config, OpenTelemetry.noop()));
            }
            List<Peer> peers = NODES.stream().map(n -> new Peer(n, n)).toList();
            for (long g = 1; g <= opts.groups(); g++) {
                for (int i = 0; i < NODES.size(); i++) {
                    drivers.get(i).createGroup(g, NODES.get(i), peers, new CountingStateMachine());
                }
                drivers.get(0).campaign(g);
            }
            awaitLeaders(drivers.get(0), opts.groups());
            System.out.printf("RaftProposalBenchmark: 3 replicas, RocksDB with synced log writes, %s transport, %d group(s), "
                    + "%d-byte proposals, %d s per level (after %d s warm-up)%n", opts.transport(), opts.groups(),
                    PAYLOAD_BYTES, opts.seconds(), opts.warmupSeconds());
            System.out.printf("%-12s %12s %10s %10s %10s %14s%n", "proposers", "proposals/s", "p50 ms", "p99 ms", "max ms",
                    "entries/fsync");
            for (int c : opts.concurrency()) {
                run(drivers, opts, c);
            }
            for (MultiRaftDriver d : drivers) {
                d.close();
            }
            opened.forEach(RaftTransport::close);
        } finally {
            engines.forEach(Engine::close);
            deleteRecursively(dir);
        }
    }

    private static void awaitLeaders(MultiRaftDriver driver, int groups) throws Exception {
        for (long g = 1; g <= groups; g++) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                GroupStatus st = driver.status(g).get(60, TimeUnit.SECONDS);
                if (st.role() == Role.LEADER) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("node 1 did not become leader of group " + g);
                }
                Thread.sleep(10);
            }
        }
    }

    private static void run(List<MultiRaftDriver> drivers, Options opts, int concurrency) throws InterruptedException {
        MultiRaftDriver leader = drivers.get(0);
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> proposers = new ArrayList<>();
        for (int p = 0; p < concurrency; p++) {
            long group = 1 + p % opts.groups();
            Thread t = new Thread(() -> propose(leader, group, latency, done, failed, measuring, stop), "proposer-" + p);
            t.setDaemon(true);
            proposers.add(t);
            t.start();
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(opts.warmupSeconds()));
        DriverStats before = leader.stats();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(opts.seconds()));
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        DriverStats after = leader.stats();
        stop.set(true);
        for (Thread t : proposers) {
            t.join();
        }
        double perSecond = done.get() * 1e9 / elapsed;
        long fsyncs = after.fsyncs() - before.fsyncs();
        double perFsync = fsyncs == 0 ? 0 : (double) (after.entriesPersisted() - before.entriesPersisted()) / fsyncs;
        synchronized (latency) {
            System.out.printf("%-12d %12.0f %10.3f %10.3f %10.3f %14.1f%s%n", concurrency, perSecond,
                    latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                    latency.getMaxValue() / 1e6, perFsync, failed.get() == 0 ? "" : "  (" + failed.get() + " failed)");
        }
    }

    private static void propose(MultiRaftDriver leader, long group, Histogram latency, AtomicLong done, AtomicLong failed,
                                AtomicBoolean measuring, AtomicBoolean stop) {
        byte[] payload = new byte[PAYLOAD_BYTES];
        while (!stop.get()) {
            long t0 = System.nanoTime();
            try {
                leader.propose(group, payload).get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                failed.incrementAndGet();
                continue;
            }
            long t1 = System.nanoTime();
            if (measuring.get()) {
                done.incrementAndGet();
                synchronized (latency) {
                    latency.recordValue(Math.min(t1 - t0, latency.getHighestTrackableValue()));
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
