package dev.meridian.cluster.raft.driver;

import dev.meridian.cluster.raft.memory.InMemoryRaftNetwork;
import dev.meridian.raft.Role;
import dev.meridian.storage.Engine;
import io.opentelemetry.api.OpenTelemetry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Three nodes in one process: one driver and engine each, over an in-memory network. Every
 * group has replica {@code n} on node {@code n}. Waits poll for a condition with a generous
 * timeout; nothing here asserts on timing.
 */
final class TestCluster implements AutoCloseable {

    static final List<Long> NODES = List.of(1L, 2L, 3L);
    static final Duration PATIENCE = Duration.ofSeconds(60);

    /** Opens a node's engine; called again for a restart with the same node id. */
    interface EngineFactory {
        Engine open(long nodeId);
    }

    final InMemoryRaftNetwork network = new InMemoryRaftNetwork();
    final DriverConfig config;
    private final EngineFactory engines;
    private final boolean closeEngines;
    final Map<Long, Engine> engineOf = new TreeMap<>();
    final Map<Long, MultiRaftDriver> driverOf = new TreeMap<>();
    private final Map<Long, dev.meridian.cluster.raft.RaftTransport> transportOf = new TreeMap<>();
    /** (node, group) to state machine. */
    private final Map<Long, Map<Long, ListStateMachine>> machines = new TreeMap<>();

    TestCluster(DriverConfig config, EngineFactory engines, boolean closeEngines) {
        this.config = config;
        this.engines = engines;
        this.closeEngines = closeEngines;
        for (long n : NODES) {
            engineOf.put(n, engines.open(n));
            startDriver(n);
        }
    }

    private void startDriver(long n) {
        var transport = network.newTransport();
        transportOf.put(n, transport);
        driverOf.put(n, new MultiRaftDriver(n, engineOf.get(n), transport, config, OpenTelemetry.noop()));
        machines.put(n, new TreeMap<>());
    }

    /** Starts one more node (engine and driver) that hosts no group yet. */
    void addNode(long n) {
        engineOf.put(n, engines.open(n));
        startDriver(n);
    }

    /**
     * Makes node {@code n} host groups on demand with fresh {@link ListStateMachine}s; every
     * factory call is recorded as "group/replica/fromNode" in the returned list.
     */
    List<String> hostOnDemand(long n) {
        List<String> calls = new CopyOnWriteArrayList<>();
        driverOf.get(n).setGroupFactory((groupId, replicaId, fromNode) -> {
            calls.add(groupId + "/" + replicaId + "/" + fromNode);
            ListStateMachine sm = new ListStateMachine();
            machines.get(n).put(groupId, sm);
            return sm;
        });
        return calls;
    }

    /**
     * Creates {@code groupId} on the three nodes with logs starting after a snapshot at
     * ({@code initialIndex}, {@code initialTerm}) holding {@code initialState} (a
     * {@link ListStateMachine} snapshot).
     */
    void createGroupAt(long groupId, long initialIndex, long initialTerm, byte[] initialState) {
        for (long n : NODES) {
            ListStateMachine sm = new ListStateMachine();
            sm.restore(initialIndex, initialState);
            machines.get(n).put(groupId, sm);
            driverOf.get(n).createGroup(groupId, n, peers(), sm, initialIndex, initialTerm);
        }
        driverOf.get(1 + groupId % NODES.size()).campaign(groupId);
    }

    static List<Peer> peers() {
        return NODES.stream().map(n -> new Peer(n, n)).toList();
    }

    void createGroup(long groupId) {
        for (long n : NODES) {
            ListStateMachine sm = new ListStateMachine();
            machines.get(n).put(groupId, sm);
            driverOf.get(n).createGroup(groupId, n, peers(), sm);
        }
        // Start the first election now rather than after a timeout; any node may still win.
        driverOf.get(1 + groupId % NODES.size()).campaign(groupId);
    }

    ListStateMachine sm(long node, long groupId) {
        return machines.get(node).get(groupId);
    }

    MultiRaftDriver driver(long node) {
        return driverOf.get(node);
    }

    /** Stops node {@code n}: its driver, its transport and (if durable) its engine. */
    void stop(long n) {
        transportOf.remove(n).close();
        driverOf.remove(n).close();
        if (closeEngines) {
            engineOf.remove(n).close();
        }
    }

    /** Restarts node {@code n} from its engine, reloading {@code groupIds} with fresh state machines. */
    void restart(long n, List<Long> groupIds) {
        if (closeEngines) {
            engineOf.put(n, engines.open(n));
        }
        startDriver(n);
        for (long g : groupIds) {
            ListStateMachine sm = new ListStateMachine();
            machines.get(n).put(g, sm);
            driverOf.get(n).loadGroup(g, n, peers(), sm);
        }
    }

    /**
     * Restarts node {@code n} with one group whose state machine kept its state across the
     * restart (as a durable one would): restored from {@code state} at {@code appliedIndex}.
     */
    void restartDurable(long n, long groupId, byte[] state, long appliedIndex) {
        if (closeEngines) {
            engineOf.put(n, engines.open(n));
        }
        startDriver(n);
        ListStateMachine sm = new ListStateMachine();
        sm.restore(appliedIndex, state);
        machines.get(n).put(groupId, sm);
        driverOf.get(n).loadGroup(groupId, n, peers(), sm);
    }

    GroupStatus status(long node, long groupId) {
        return get(driverOf.get(node).status(groupId));
    }

    /** The node whose replica is leader of {@code groupId} and known as such by the others. */
    long awaitLeader(long groupId) {
        long[] leader = new long[1];
        await("a leader for group " + groupId, () -> {
            for (long n : driverOf.keySet()) {
                if (!driverOf.get(n).hosts(groupId)) {
                    continue;
                }
                GroupStatus st = status(n, groupId);
                if (st.role() == Role.LEADER) {
                    leader[0] = n;
                    return true;
                }
            }
            return false;
        });
        return leader[0];
    }

    /** Proposes on the leader, following NOT_LEADER hints; returns the applied index. */
    long propose(long groupId, String command) {
        long target = driverOf.keySet().iterator().next();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                return get(driverOf.get(target).propose(groupId, command.getBytes(StandardCharsets.UTF_8)));
            } catch (ProposalException e) {
                if (e.reason() != ProposalException.Reason.NOT_LEADER) {
                    throw e;
                }
                target = e.leaderNodeId() != 0 && driverOf.containsKey(e.leaderNodeId()) ? e.leaderNodeId() : awaitLeader(groupId);
            }
        }
        throw new AssertionError("no leader took " + command);
    }

    CompletableFuture<Long> proposeAsync(long node, long groupId, String command) {
        return driverOf.get(node).propose(groupId, command.getBytes(StandardCharsets.UTF_8));
    }

    static <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("no answer within " + PATIENCE, e);
        }
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Waits until every running node's state machine of {@code groupId} holds {@code expected} commands. */
    void awaitApplied(long groupId, int expected) {
        for (long n : driverOf.keySet()) {
            await("node " + n + " applying " + expected + " commands of group " + groupId,
                    () -> sm(n, groupId).commands().size() >= expected);
        }
    }


    @Override
    public void close() {
        for (long n : new ArrayList<>(driverOf.keySet())) {
            stop(n);
        }
        network.close();
        if (!closeEngines) {
            engineOf.values().forEach(Engine::close);
        }
    }
}
