package dev.meridian.testkit.history.append;

import dev.meridian.testkit.history.MicroOp;
import dev.meridian.testkit.history.OpType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The dependency graph over ok and info transactions (TESTING.md step 4). Failed transactions
 * are nodes without edges: they did not happen. Edges come out in a deterministic order (by
 * key, then history order), so reports are stable.
 *
 * <p>Only a transaction's first read of a key before its own appends to that key ("external"
 * read) yields wr and rw edges; later reads see the transaction's own appends and are covered
 * by the internal check.
 */
final class DependencyGraph {

    private final int size;
    private final List<List<Dependency>> out = new ArrayList<>();
    // Membership only: (from, to, type) already present. Its iteration order is never used.
    private final Set<Long> present = new HashSet<>();

    private DependencyGraph(int size) {
        this.size = size;
        for (int i = 0; i < size; i++) {
            out.add(new ArrayList<>());
        }
    }

    static DependencyGraph build(List<Transaction> txns, ElementWriters writers, Map<String, List<Long>> versionOrders,
                                 boolean processOrder) {
        DependencyGraph g = new DependencyGraph(txns.size());
        versionOrders.forEach((key, order) -> g.addWriteWrite(key, order, writers));
        for (Transaction t : txns) {
            if (t.outcome() == OpType.OK) {
                g.addReadEdges(t, versionOrders, writers);
            }
        }
        g.addRealtime(txns);
        if (processOrder) {
            g.addProcessOrder(txns);
        }
        return g;
    }

    int size() {
        return size;
    }

    /** Out-edges of {@code node}, in insertion order. */
    List<Dependency> out(int node) {
        return out.get(node);
    }

    private void add(Transaction from, Transaction to, DependencyType type, String reason) {
        if (from.id() == to.id() || from.outcome() == OpType.FAIL || to.outcome() == OpType.FAIL) {
            return;
        }
        long id = ((long) from.id() * size + to.id()) * DependencyType.values().length + type.ordinal();
        if (present.add(id)) {
            out.get(from.id()).add(new Dependency(from.id(), to.id(), type, reason));
        }
    }

    private void addWriteWrite(String key, List<Long> order, ElementWriters writers) {
        for (int i = 1; i < order.size(); i++) {
            ElementWriters.Writer a = writers.writer(key, order.get(i - 1));
            ElementWriters.Writer b = writers.writer(key, order.get(i));
            if (a != null && b != null) {
                add(a.txn(), b.txn(), DependencyType.WW, "ww on " + key + ": " + order.get(i - 1) + " then " + order.get(i));
            }
        }
    }

    private void addReadEdges(Transaction reader, Map<String, List<Long>> versionOrders, ElementWriters writers) {
        Set<String> appended = new TreeSet<>();
        Set<String> done = new TreeSet<>();
        for (MicroOp m : reader.ops()) {
            if (m instanceof MicroOp.Append a) {
                appended.add(a.key());
                continue;
            }
            String key = m.key();
            List<Long> order = versionOrders.get(key);
            if (appended.contains(key) || !done.add(key) || order == null) {
                continue;
            }
            List<Long> seen = ((MicroOp.Read) m).observed();
            String shown = ReadAnalysis.brief(seen);
            if (!seen.isEmpty()) {
                long last = seen.get(seen.size() - 1);
                ElementWriters.Writer w = writers.writer(key, last);
                if (w != null) {
                    add(w.txn(), reader, DependencyType.WR, "wr on " + key + ": read " + shown + ", last element appended by "
                            + w.txn().name());
                }
            }
            if (seen.size() < order.size()) {
                long nextValue = order.get(seen.size());
                ElementWriters.Writer w = writers.writer(key, nextValue);
                if (w != null) {
                    add(reader, w.txn(), DependencyType.RW, "rw on " + key + ": read " + shown + ", next element "
                            + nextValue + " appended by " + w.txn().name());
                }
            }
        }
    }

    /**
     * Realtime order, transitively reduced: a transaction gets an edge from each member of the
     * frontier (completed transactions not yet known to precede another completed one) when it
     * is invoked. Every pair "T1 completed before T2 was invoked" stays connected by a path, and
     * the edge count stays near (transactions × concurrency) instead of quadratic.
     */
    private void addRealtime(List<Transaction> txns) {
        TreeMap<Integer, Transaction> events = new TreeMap<>(); // history index -> txn
        for (Transaction t : txns) {
            if (t.outcome() == OpType.FAIL) {
                continue;
            }
            events.put(t.invokeIndex(), t);
            if (t.outcome() == OpType.OK) {
                events.put(t.completeIndex(), t);
            }
        }
        TreeSet<Integer> frontier = new TreeSet<>();
        Map<Integer, List<Integer>> predecessors = new TreeMap<>();
        for (Map.Entry<Integer, Transaction> e : events.entrySet()) {
            Transaction t = e.getValue();
            if (e.getKey() == t.invokeIndex()) {
                predecessors.put(t.id(), List.copyOf(frontier));
                for (int f : frontier) {
                    add(txns.get(f), t, DependencyType.REALTIME, txns.get(f).name() + " completed at " + txns.get(f).completeIndex()
                            + " before " + t.name() + " was invoked at " + t.invokeIndex());
                }
            } else {
                predecessors.get(t.id()).forEach(frontier::remove);
                frontier.add(t.id());
            }
        }
    }

    private void addProcessOrder(List<Transaction> txns) {
        Map<Integer, Transaction> lastOfProcess = new TreeMap<>();
        for (Transaction t : txns) {
            if (t.outcome() == OpType.FAIL) {
                continue;
            }
            Transaction prev = lastOfProcess.put(t.process(), t);
            if (prev != null) {
                add(prev, t, DependencyType.PROCESS, "both on process p" + t.process() + ", " + prev.name() + " first");
            }
        }
    }
}
