package dev.meridian.testkit.history.append;

import dev.meridian.testkit.history.append.AnomalyType.CycleClass;
import dev.meridian.testkit.history.append.AnomalyType.Variant;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * Finds and classifies dependency cycles (TESTING.md step 5). For each edge set (data edges;
 * data plus realtime; data plus process order) it splits the graph into strongly connected
 * components with Tarjan's algorithm, then within each component searches, for each cycle class,
 * a shortest cycle of that class by breadth-first search over (transaction, edge-pattern state)
 * from each candidate first edge. It does not enumerate every cycle: one witness per class and
 * component is enough to name the anomaly, and enumeration is exponential.
 *
 * <p>A realtime or process variant is reported only for a component in which no plain cycle of
 * the same class was found: the variant names cycles that need the extra edges.
 */
final class CycleFinder {

    /** Candidate first edges tried per class and component; bounds the work on huge components. */
    static final int MAX_STARTS = 32;
    private static final int STATES = 24; // prevRw(2) × rwCount 0..2(3) × adjacentRw(2) × extraSeen(2)

    private final DependencyGraph graph;
    private final List<Transaction> txns;
    private final int[] local; // transaction -> index in the current component, or -1
    private int[] nodes = new int[0]; // the current component's transactions

    private final boolean processEdges;

    /** @param processEdges whether the graph has process-order edges (else their variant is not searched) */
    CycleFinder(DependencyGraph graph, List<Transaction> txns, boolean processEdges) {
        this.graph = graph;
        this.processEdges = processEdges;
        this.txns = txns;
        this.local = new int[graph.size()];
        Arrays.fill(local, -1);
    }

    List<Anomaly> find() {
        List<Anomaly> found = new ArrayList<>();
        Map<CycleClass, BitSet> plainNodes = new EnumMap<>(CycleClass.class);
        for (CycleClass c : CycleClass.values()) {
            plainNodes.put(c, new BitSet());
        }
        searchVariant(Variant.NONE, null, plainNodes, found);
        searchVariant(Variant.REALTIME, DependencyType.REALTIME, plainNodes, found);
        if (processEdges) {
            searchVariant(Variant.PROCESS, DependencyType.PROCESS, plainNodes, found);
        }
        return found;
    }

    private void searchVariant(Variant variant, DependencyType extra, Map<CycleClass, BitSet> plainNodes, List<Anomaly> found) {
        EnumSet<DependencyType> allowed = EnumSet.of(DependencyType.WW, DependencyType.WR, DependencyType.RW);
        if (extra != null) {
            allowed.add(extra);
        }
        for (int[] scc : Tarjan.components(graph, allowed)) {
            nodes = scc;
            for (int i = 0; i < scc.length; i++) {
                local[scc[i]] = i;
            }
            for (CycleClass c : CycleClass.values()) {
                if (extra != null && containsAny(plainNodes.get(c), scc)) {
                    continue; // a plain cycle of this class already lies inside this component
                }
                List<Dependency> cycle = shortestCycle(scc, c, extra);
                if (cycle == null) {
                    continue;
                }
                if (extra == null) {
                    for (int v : scc) {
                        plainNodes.get(c).set(v);
                    }
                }
                found.add(anomaly(AnomalyType.cycle(c, variant), cycle));
            }
            for (int v : scc) {
                local[v] = -1;
            }
        }
    }

    private static boolean containsAny(BitSet set, int[] members) {
        for (int v : members) {
            if (set.get(v)) {
                return true;
            }
        }
        return false;
    }

    private Anomaly anomaly(AnomalyType type, List<Dependency> cycle) {
        List<Transaction> members = new ArrayList<>();
        StringBuilder path = new StringBuilder();
        for (Dependency d : cycle) {
            members.add(txns.get(d.from()));
            path.append("T").append(d.from()).append(" -").append(d.type().name().toLowerCase(java.util.Locale.ROOT)).append("-> ");
        }
        path.append("T").append(cycle.get(0).from());
        return new Anomaly(type, members, cycle, "cycle " + path);
    }

    private static DependencyType startType(CycleClass c) {
        return switch (c) {
            case G0 -> DependencyType.WW;
            case G1C -> DependencyType.WR;
            default -> DependencyType.RW;
        };
    }

    /** The shortest cycle of class {@code c} through one of the first candidate edges, or null. */
    private List<Dependency> shortestCycle(int[] scc, CycleClass c, DependencyType extra) {
        List<Dependency> best = null;
        int starts = 0;
        for (int v : scc) {
            for (Dependency e : graph.out(v)) {
                if (e.type() != startType(c) || local[e.to()] < 0) {
                    continue;
                }
                List<Dependency> cycle = bfs(scc.length, e, c, extra);
                if (cycle != null && (best == null || cycle.size() < best.size())) {
                    best = cycle;
                }
                if (++starts >= MAX_STARTS || best != null && best.size() == 2) {
                    return best;
                }
            }
        }
        return best;
    }

    private static int state(int node, boolean prevRw, int rwCount, boolean adjacent, boolean extraSeen) {
        return (((node * 2 + (prevRw ? 1 : 0)) * 3 + rwCount) * 2 + (adjacent ? 1 : 0)) * 2 + (extraSeen ? 1 : 0);
    }

    /** The state after taking {@code e} from state {@code s}, or -1 if class {@code c} forbids it. */
    private int step(int s, Dependency e, CycleClass c, DependencyType extra) {
        boolean extraSeen = (s & 1) == 1;
        boolean adjacent = (s >> 1 & 1) == 1;
        int rwCount = (s >> 2) % 3;
        boolean prevRw = ((s >> 2) / 3 & 1) == 1;
        DependencyType t = e.type();
        boolean rw = t == DependencyType.RW;
        if (t == extra) {
            extraSeen = true;
        } else if (t == DependencyType.WR && c == CycleClass.G0
                || rw && (c == CycleClass.G0 || c == CycleClass.G1C || c == CycleClass.G_SINGLE)
                || rw && c == CycleClass.G_NONADJACENT && prevRw
                || t != DependencyType.WW && t != DependencyType.WR && !rw) {
            return -1;
        }
        return state(local[e.to()], rw, Math.min(2, rwCount + (rw ? 1 : 0)), adjacent || prevRw && rw, extraSeen);
    }

    /** Whether arriving back at the first transaction in state {@code s} closes a cycle of class {@code c}. */
    private static boolean closes(int s, CycleClass c, DependencyType extra) {
        boolean extraSeen = (s & 1) == 1;
        boolean adjacent = (s >> 1 & 1) == 1;
        int rwCount = (s >> 2) % 3;
        boolean lastRw = ((s >> 2) / 3 & 1) == 1; // the first edge is rw for both classes below
        if (extra != null && !extraSeen) {
            return false;
        }
        return switch (c) {
            case G_NONADJACENT -> rwCount >= 2 && !lastRw;
            case G2_ITEM -> rwCount >= 2 && (adjacent || lastRw);
            default -> true;
        };
    }

    private List<Dependency> bfs(int m, Dependency first, CycleClass c, DependencyType extra) {
        int origin = local[first.from()];
        int[] parent = new int[m * STATES];
        Dependency[] via = new Dependency[m * STATES];
        Arrays.fill(parent, -1);
        boolean rw = first.type() == DependencyType.RW;
        int s0 = state(local[first.to()], rw, rw ? 1 : 0, false, first.type() == extra);
        parent[s0] = s0;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(s0);
        while (!queue.isEmpty()) {
            int s = queue.poll();
            int node = s / STATES;
            for (Dependency e : graph.out(nodes[node])) {
                if (local[e.to()] < 0) {
                    continue;
                }
                int ns = step(s, e, c, extra);
                if (ns < 0) {
                    continue;
                }
                if (local[e.to()] == origin) {
                    if (closes(ns, c, extra)) {
                        List<Dependency> cycle = path(first, s, s0, parent, via);
                        cycle.add(e);
                        if (simple(cycle)) {
                            return cycle;
                        }
                    }
                    continue;
                }
                if (parent[ns] < 0) {
                    parent[ns] = s;
                    via[ns] = e;
                    queue.add(ns);
                }
            }
        }
        return null;
    }

    /** The edges from the start state to {@code s}, preceded by the first edge. */
    private static List<Dependency> path(Dependency first, int s, int s0, int[] parent, Dependency[] via) {
        ArrayDeque<Dependency> back = new ArrayDeque<>();
        for (int at = s; at != s0; at = parent[at]) {
            back.push(via[at]);
        }
        List<Dependency> cycle = new ArrayList<>();
        cycle.add(first);
        cycle.addAll(back);
        return cycle;
    }

    /** A walk found over edge-pattern states may pass a transaction twice; only simple cycles count. */
    private static boolean simple(List<Dependency> cycle) {
        BitSet seen = new BitSet();
        for (Dependency d : cycle) {
            if (seen.get(d.from())) {
                return false;
            }
            seen.set(d.from());
        }
        return true;
    }
}
