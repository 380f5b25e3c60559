package dev.meridian.server;

import dev.meridian.cluster.kv.KvClient;
import dev.meridian.cluster.kv.KvClientConfig;
import dev.meridian.cluster.kv.KvException;
import dev.meridian.cluster.kv.KvOperations;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.KvGrpc;
import dev.meridian.testkit.history.History;
import dev.meridian.testkit.history.HistoryRecorder;
import dev.meridian.testkit.history.OpType;
import dev.meridian.testkit.history.Operation;
import dev.meridian.testkit.history.Payload;
import dev.meridian.testkit.history.register.RegisterChecker;
import dev.meridian.testkit.history.register.RegisterResult;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.meridian.server.http.JsonTestParser.array;
import static dev.meridian.server.http.JsonTestParser.object;
import static dev.meridian.server.http.JsonTestParser.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Three nodes as three JVMs started through {@code bin/meridian start}, as an operator runs
 * them: the leaseholder killed with SIGKILL under a register workload (a new leaseholder serves,
 * the history stays linearizable), the killed node restarted on its store (it catches up), a
 * node stopped with SIGTERM (it drains its leases and exits 0), a store of another cluster
 * refused, and garbage sent to the gRPC port (an error, never a crash).
 *
 * <p>Runs in {@code verify} (failsafe), after {@code package} has built the jar and
 * {@code target/lib} that {@code bin/meridian} runs with {@code MERIDIAN_SKIP_BUILD=1}. Every
 * wait is a bounded poll for a state; nothing asserts on how long something took.
 */
class MultiProcessClusterIT {

    private static final Path ROOT = Path.of(System.getProperty("meridian.root", "..")).toAbsolutePath().normalize();
    /** Upper bound for a state to be reached (startup, up-replication, failover, catch-up). */
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);
    private static final List<String> REGISTERS = List.of("x", "y", "z");
    private static final Pattern CLUSTER_ID = Pattern.compile("Cluster (\\S+) initialized");

    @TempDir
    Path dir;

    private final List<NodeProcess> processes = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        for (NodeProcess p : processes) {
            if (p.process != null && p.process.isAlive()) {
                p.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void threeProcessesSurviveKillRestartDrainAndBadInput() throws Throwable {
        try {
            run();
        } catch (Throwable t) {
            printLogs();
            // The failure line is often all a CI summary shows: give it each node's last words.
            throw new AssertionError(t.getMessage() + logTails(), t);
        }
    }

    private void run() throws Exception {
        // A one-node cluster of its own, whose store is later pointed at the three-node cluster.
        NodeProcess foreign = new NodeProcess("foreign");
        foreign.start(List.of());
        List<NodeProcess> nodes = List.of(new NodeProcess("n1"), new NodeProcess("n2"), new NodeProcess("n3"));
        List<String> rpcs = nodes.stream().map(NodeProcess::rpc).toList();
        for (NodeProcess n : nodes) {
            n.start(rpcs);
        }
        awaitListening(foreign);
        for (NodeProcess n : nodes) {
            awaitListening(n);
        }
        String foreignCluster = init(foreign);
        String cluster = init(nodes.getFirst());
        assertThat(cluster).isNotEqualTo(foreignCluster);
        awaitHealthy(foreign);
        foreign.process.destroy();
        assertThat(foreign.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the foreign node stops").isTrue();
        for (NodeProcess n : nodes) {
            awaitHealthy(n);
        }
        await("range 1 has 3 voters", () -> voters(range1(nodes.getFirst())) == 3);

        NodeProcess victim = killLeaseholderUnderLoad(nodes, rpcs);
        restartAndCatchUp(victim, nodes, rpcs);
        badInputIsRefused(victim, foreign, rpcs, foreignCluster);
        sigtermDrains(nodes);
    }

    // ---------------------------------------------------------------------------------------
    // The scenarios
    // ---------------------------------------------------------------------------------------

    /** (a) SIGKILL of the leaseholder while clients use all three nodes. Returns the victim. */
    private NodeProcess killLeaseholderUnderLoad(List<NodeProcess> nodes, List<String> rpcs) throws Exception {
        KvClient client = connect(rpcs);
        client.put(bytes("user/warmup"), new byte[] {1}).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        RegisterClients load = new RegisterClients(client, 4);
        closeables.add(load::stop);
        await("register operations acknowledged before the kill", () -> load.okInvokedAfter(0) >= 20);

        NodeProcess victim = leaseholder(nodes, nodes.getFirst());
        long killedAt = System.nanoTime();
        victim.process.destroyForcibly();
        assertThat(victim.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        await("register operations invoked after the kill are acknowledged (a new leaseholder serves)",
                () -> load.okInvokedAfter(killedAt) >= 20);
        // Written while the victim is down: it can only have them by catching up.
        for (int i = 0; i < 20; i++) {
            client.put(bytes("user/while-down/" + i), new byte[] {(byte) i}).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        History history = load.stop();
        System.out.printf("register history: %d operations (%d ok, %d info), %d ok invoked after the kill%n",
                history.operations().size(), outcomes(history, OpType.OK), outcomes(history, OpType.INFO),
                load.okInvokedAfter(killedAt));

        RegisterResult result = RegisterChecker.check(history, null);
        assertThat(result.valid()).as(result.report()).isTrue();
        assertThat(history.operations().stream().filter(op -> op.outcome() == OpType.OK
                && !(op.payload() instanceof Payload.Read)).count())
                .as("acknowledged writes, which the check shows are not lost").isGreaterThan(5);
        return victim;
    }

    private static long outcomes(History history, OpType type) {
        return history.operations().stream().filter(op -> op.outcome() == type).count();
    }

    /** (b) The killed node, restarted on its store, ends with the same keys as the others. */
    private void restartAndCatchUp(NodeProcess victim, List<NodeProcess> nodes, List<String> rpcs) throws Exception {
        long idBefore = victim.nodeId;
        victim.start(rpcs);
        awaitHealthy(victim);
        assertThat(victim.nodeId).as("the store keeps the node's identity").isEqualTo(idBefore);
        await("the restarted node has the same key counts per range as the others", () -> {
            Map<Long, Long> counts = keyCounts(victim);
            return counts.containsKey(1L) && nodes.stream().allMatch(n -> {
                try {
                    return keyCounts(n).equals(counts);
                } catch (Exception e) {
                    return false;
                }
            });
        });
    }

    /** (d) and (e): a store of another cluster, and garbage on the gRPC port of {@code target}. */
    private void badInputIsRefused(NodeProcess target, NodeProcess foreign, List<String> rpcs, String foreignCluster)
            throws Exception {
        NodeProcess intruder = new NodeProcess("intruder", foreign.store);
        intruder.start(rpcs);
        assertThat(intruder.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the intruder exits").isTrue();
        assertThat(intruder.process.exitValue()).isNotZero();
        assertThat(Files.readString(intruder.log))
                .contains("belongs to cluster " + foreignCluster)
                .contains("this node belongs to cluster");

        byte[] garbage = new byte[4096];
        new SplittableRandom(7).nextBytes(garbage);
        sendRaw(target, garbage);
        sendRaw(target, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        ManagedChannel channel = NettyChannelBuilder.forTarget(target.rpc()).usePlaintext().build();
        closeables.add(channel::shutdownNow);
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, rawMethod("meridian.NoSuchService/Nothing"),
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), new byte[] {1, 2, 3}))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        // A known method with bytes that are no BatchRequest. grpc-java fails the call when the
        // request does not parse; it reports UNKNOWN ("Application error processing RPC").
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel,
                rawMethod(KvGrpc.getBatchMethod().getFullMethodName()),
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), new byte[] {(byte) 0xff, (byte) 0xff, 0x7f}))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode())
                        .as(e.getStatus().toString())
                        .isIn(Status.Code.INTERNAL, Status.Code.INVALID_ARGUMENT, Status.Code.UNKNOWN));

        assertThat(health(target)).as("the node is still healthy").isEqualTo(200);
        assertThat(target.process.isAlive()).isTrue();
        KvClient viaTarget = connect(List.of(target.rpc()));
        viaTarget.put(bytes("user/after-garbage"), new byte[] {42}).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(viaTarget.get(bytes("user/after-garbage")).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .hasValueSatisfying(v -> assertThat(v).containsExactly(42));
    }

    /** (c) SIGTERM to the leaseholder: it drains, exits 0, and the others see its leases gone. */
    private void sigtermDrains(List<NodeProcess> nodes) throws Exception {
        NodeProcess holder = leaseholder(nodes, nodes.getFirst());
        List<NodeProcess> others = nodes.stream().filter(n -> n != holder).toList();
        holder.process.destroy();
        assertThat(holder.process.waitFor(DRAIN_TIMEOUT.toSeconds() + 20, TimeUnit.SECONDS))
                .as("the node stops within its drain timeout").isTrue();
        assertThat(holder.process.exitValue()).as("exit code after SIGTERM").isZero();
        assertThat(Files.readString(holder.log)).contains("drained; stopping");
        await("no range lists the drained node as leaseholder", () -> {
            for (NodeProcess n : others) {
                for (Object r : array(parse(get(n, "/_status/ranges").body()))) {
                    Object holderId = object(r).get("leaseholderNodeId");
                    if (holderId == null || ((Long) holderId) == holder.nodeId) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    // ---------------------------------------------------------------------------------------
    // Processes
    // ---------------------------------------------------------------------------------------

    /** One {@code meridian start} process; its output (appended across restarts) goes to a file. */
    private final class NodeProcess {
        final String name;
        final Path store;
        final Path log;
        final int rpcPort = freePort();
        final int httpPort = freePort();
        Process process;
        long nodeId;

        NodeProcess(String name) {
            this(name, dir.resolve(name + "-store"));
        }

        NodeProcess(String name, Path store) {
            this.name = name;
            this.store = store;
            this.log = dir.resolve(name + ".log");
            processes.add(this);
        }

        String rpc() {
            return "127.0.0.1:" + rpcPort;
        }

        void start(List<String> join) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("start", "--store", store.toString(), "--listen-addr", rpc(),
                    "--http-addr", "127.0.0.1:" + httpPort, "--cache-size", "16MiB",
                    "--drain-timeout", DRAIN_TIMEOUT.toSeconds() + "s"));
            List<String> others = join.stream().filter(a -> !a.equals(rpc())).toList();
            if (!others.isEmpty()) {
                cmd.addAll(List.of("--join", String.join(",", others)));
            }
            process = meridian(cmd, log);
        }
    }

    private static Process meridian(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("bin/meridian").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("MERIDIAN_SKIP_BUILD", "1");
        pb.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("MERIDIAN_JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");
        return pb.start();
    }

    /** Runs {@code meridian init} against {@code n}; returns the new cluster's id. */
    private String init(NodeProcess n) throws Exception {
        Path out = dir.resolve("init-" + n.name + ".log");
        Process p = meridian(List.of("init", "--host", n.rpc(), "--timeout", WAIT.toSeconds() + "s"), out);
        assertThat(p.waitFor(WAIT.toSeconds() + 10, TimeUnit.SECONDS)).as("init returns").isTrue();
        String text = Files.readString(out);
        assertThat(p.exitValue()).as(text).isZero();
        Matcher m = CLUSTER_ID.matcher(text);
        assertThat(m.find()).as(text).isTrue();
        return m.group(1);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String logTails() {
        StringBuilder b = new StringBuilder();
        for (NodeProcess p : processes) {
            b.append("\n----- last lines of ").append(p.name)
                    .append(p.process == null ? " (never started)" : p.process.isAlive() ? " (running)" : " (exited)")
                    .append(" -----\n").append(tail(p.log, 12));
        }
        return b.toString();
    }

    private static String tail(Path log, int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no output)";
            }
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private void printLogs() {
        for (NodeProcess p : processes) {
            try {
                System.err.println("===== " + p.name + " (" + p.log + ") =====");
                System.err.println(Files.exists(p.log) ? Files.readString(p.log) : "(no output)");
            } catch (IOException e) {
                System.err.println("cannot read " + p.log + ": " + e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Status endpoints
    // ---------------------------------------------------------------------------------------

    private HttpResponse<String> get(NodeProcess n, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.httpPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int health(NodeProcess n) throws InterruptedException {
        try {
            return get(n, "/health").statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private long nodeId(NodeProcess n) throws IOException, InterruptedException {
        return (Long) object(parse(get(n, "/health").body())).get("nodeId");
    }

    /** Waits until {@code n} says it listens (it may still wait for init or to join). */
    private void awaitListening(NodeProcess n) throws Exception {
        await(n.name + " listens", () -> {
            if (!n.process.isAlive()) {
                throw new AssertionError(n.name + " exited with " + n.process.exitValue() + ":\n" + tail(n.log, 30));
            }
            return Files.exists(n.log) && Files.readString(n.log).contains("node listening on");
        });
    }

    private void awaitHealthy(NodeProcess n) throws Exception {
        await(n.name + " answers /health with 200", () -> {
            if (!n.process.isAlive()) {
                throw new AssertionError(n.name + " exited with " + n.process.exitValue());
            }
            return health(n) == 200;
        });
        n.nodeId = nodeId(n);
    }

    private Map<String, Object> range1(NodeProcess n) throws IOException, InterruptedException {
        return array(parse(get(n, "/_status/ranges").body())).stream().map(r -> object(r))
                .filter(r -> Long.valueOf(1).equals(r.get("rangeId"))).findFirst()
                .orElseThrow(() -> new IllegalStateException(n.name + " has no replica of range 1"));
    }

    private static long voters(Map<String, Object> range) {
        return array(range.get("replicas")).stream().filter(r -> "VOTER".equals(object(r).get("type"))).count();
    }

    private Map<Long, Long> keyCounts(NodeProcess n) throws IOException, InterruptedException {
        Map<Long, Long> counts = new TreeMap<>();
        for (Object r : array(parse(get(n, "/_status/ranges").body()))) {
            counts.put((Long) object(r).get("rangeId"), (Long) object(r).get("keyCount"));
        }
        return counts;
    }

    /** The process holding range 1's lease, as {@code asked} reports it. */
    private NodeProcess leaseholder(List<NodeProcess> nodes, NodeProcess asked) throws Exception {
        NodeProcess[] found = new NodeProcess[1];
        await("range 1 has a leaseholder among the running nodes", () -> {
            Object id = range1(asked).get("leaseholderNodeId");
            found[0] = nodes.stream().filter(n -> n.process.isAlive() && Long.valueOf(n.nodeId).equals(id))
                    .findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Polls until {@code check} holds; exceptions count as "not yet". Fails after {@link #WAIT}. */
    private static void await(String what, Check check) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not reached within " + WAIT + ": " + what + (last == null ? "" : " (last error: " + last + ")"));
    }

    // ---------------------------------------------------------------------------------------
    // Clients
    // ---------------------------------------------------------------------------------------

    private KvClient connect(List<String> hosts) {
        KvClient client = KvClient.connect(hosts, KvClientConfig.defaults());
        closeables.add(client);
        return client;
    }

    private static void sendRaw(NodeProcess n, byte[] payload) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), n.rpcPort), 2000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(payload);
                out.flush();
                s.getInputStream().readAllBytes();
            } catch (IOException e) {
                // The server may close the connection (or reset it) as soon as it sees the bytes.
            }
        }
    }

    private static MethodDescriptor<byte[], byte[]> rawMethod(String fullName) {
        MethodDescriptor.Marshaller<byte[]> bytes = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(byte[] value) {
                return new ByteArrayInputStream(value);
            }

            @Override
            public byte[] parse(InputStream stream) {
                try {
                    return stream.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(fullName).setRequestMarshaller(bytes).setResponseMarshaller(bytes).build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] registerKey(String register) {
        return bytes("user/reg/" + register);
    }

    /**
     * Closed-loop clients reading, writing unique values and compare-and-setting the registers,
     * recording each operation: ok, fail only when it certainly did not happen (a failed read, a
     * compare-and-set that saw another value), info (process retired) when the outcome is unknown.
     */
    private static final class RegisterClients {
        private final HistoryRecorder recorder = new HistoryRecorder(System::nanoTime);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong lastValue = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();

        RegisterClients(KvOperations kv, int clients) {
            for (int c = 0; c < clients; c++) {
                SplittableRandom rnd = new SplittableRandom(c);
                threads.add(Thread.ofPlatform().name("register-client-" + c).start(() -> loop(kv, rnd)));
            }
        }

        private void loop(KvOperations kv, SplittableRandom rnd) {
            int process = recorder.newProcess();
            while (running.get()) {
                String reg = REGISTERS.get(rnd.nextInt(REGISTERS.size()));
                int dice = rnd.nextInt(10);
                Payload op = dice < 5 ? new Payload.Read(reg, null)
                        : dice < 8 ? new Payload.Write(reg, lastValue.incrementAndGet())
                        : new Payload.Cas(reg, Math.max(1, lastValue.get() - rnd.nextInt(3)), lastValue.incrementAndGet());
                recorder.invoke(process, op);
                if (!execute(kv, process, op)) {
                    process = recorder.newProcess();
                }
            }
        }

        /** Runs and records one operation; false if its outcome is unknown (the process is retired). */
        private boolean execute(KvOperations kv, int process, Payload op) {
            try {
                Payload observed = switch (op) {
                    case Payload.Read r -> new Payload.Read(r.key(), await(kv.get(registerKey(r.key())))
                            .map(v -> ByteBuffer.wrap(v).getLong()).orElse(null));
                    case Payload.Write w -> {
                        await(kv.put(registerKey(w.key()), value(w.value())));
                        yield w;
                    }
                    case Payload.Cas c -> {
                        await(kv.conditionalPut(registerKey(c.key()), value(c.next()), value(c.expected())));
                        yield c;
                    }
                    default -> throw new IllegalArgumentException("not a register operation: " + op);
                };
                recorder.ok(process, observed);
                return true;
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                boolean certainlyNot = op instanceof Payload.Read
                        || (op instanceof Payload.Cas && e.getCause() instanceof KvException k
                        && k.kind() == ErrorKind.CONDITION_FAILED);
                if (certainlyNot) {
                    recorder.fail(process, op);
                    return true;
                }
                recorder.info(process, op);
                return false;
            }
        }

        private static <T> T await(java.util.concurrent.CompletableFuture<T> f)
                throws ExecutionException, TimeoutException, InterruptedException {
            return f.get(10, TimeUnit.SECONDS);
        }

        private static byte[] value(long v) {
            return ByteBuffer.allocate(Long.BYTES).putLong(v).array();
        }

        /** Acknowledged operations invoked after {@code nanos} (System.nanoTime). */
        long okInvokedAfter(long nanos) {
            return recorder.history().operations().stream()
                    .filter(op -> op.outcome() == OpType.OK && op.invocation().time() > nanos).count();
        }

        History stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            return recorder.history();
        }
    }
}
