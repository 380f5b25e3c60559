package dev.meridian.cluster.replica.concurrency;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Which transaction waits for which, and the cycles among them: a cycle is a deadlock that
 * only aborting one member breaks. Built from a {@link LockTable} (one range) or merged from
 * several (the waits a node knows across its ranges). Deterministic: transactions are visited
 * in id order, so the same waits always give the same cycle and victim.
 */
public final class WaitForGraph {

    private final Map<UUID, TreeSet<UUID>> edges = new TreeMap<>();
    private final Map<UUID, TxnRef> txns = new TreeMap<>();

    /** Records that {@code waiter} waits for {@code holder}. */
    public void add(TxnRef waiter, TxnRef holder) {
        if (waiter.id().equals(holder.id())) {
            return;
        }
        edges.computeIfAbsent(waiter.id(), k -> new TreeSet<>()).add(holder.id());
        txns.putIfAbsent(waiter.id(), waiter);
        txns.putIfAbsent(holder.id(), holder);
    }

    /** Adds every edge of {@code other}. */
    public void addAll(WaitForGraph other) {
        other.edges.forEach((from, tos) -> tos.forEach(to -> add(other.txns.get(from), other.txns.get(to))));
    }

    /** A cycle of waits, as the transactions in wait order starting from the smallest id; empty if none. */
    public Optional<List<TxnRef>> findCycle() {
        Map<UUID, Integer> state = new TreeMap<>(); // absent: unvisited, 1: on the path, 2: done
        for (UUID start : edges.keySet()) {
            if (!state.containsKey(start)) {
                List<UUID> path = new ArrayList<>();
                Optional<List<UUID>> cycle = visit(start, state, path);
                if (cycle.isPresent()) {
                    return Optional.of(normalized(cycle.get()));
                }
            }
        }
        return Optional.empty();
    }

    private Optional<List<UUID>> visit(UUID node, Map<UUID, Integer> state, List<UUID> path) {
        state.put(node, 1);
        path.add(node);
        for (UUID next : edges.getOrDefault(node, new TreeSet<>())) {
            Integer s = state.get(next);
            if (s != null && s == 1) {
                return Optional.of(new ArrayList<>(path.subList(path.indexOf(next), path.size())));
            }
            if (s == null) {
                Optional<List<UUID>> found = visit(next, state, path);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        path.removeLast();
        state.put(node, 2);
        return Optional.empty();
    }

    private List<TxnRef> normalized(List<UUID> cycle) {
        int first = cycle.indexOf(Collections.min(cycle));
        List<TxnRef> out = new ArrayList<>();
        for (int i = 0; i < cycle.size(); i++) {
            out.add(txns.get(cycle.get((first + i) % cycle.size())));
        }
        return out;
    }
}
