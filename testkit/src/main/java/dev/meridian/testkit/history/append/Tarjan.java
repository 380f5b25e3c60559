package dev.meridian.testkit.history.append;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Tarjan's strongly connected components, iterative (an explicit call stack) so a long
 * dependency chain cannot overflow the thread stack.
 */
final class Tarjan {

    private final DependencyGraph graph;
    private final Set<DependencyType> allowed;
    private final int[] index;
    private final int[] low;
    private final int[] edgePos;
    private final boolean[] onStack;
    private final int[] stack;
    private final int[] calls;
    private int sp;
    private int counter;
    private final List<int[]> result = new ArrayList<>();

    private Tarjan(DependencyGraph graph, Set<DependencyType> allowed) {
        int n = graph.size();
        this.graph = graph;
        this.allowed = allowed;
        this.index = new int[n];
        this.low = new int[n];
        this.edgePos = new int[n];
        this.onStack = new boolean[n];
        this.stack = new int[n];
        this.calls = new int[n];
        Arrays.fill(index, -1);
    }

    /** Components of two or more transactions over edges of the given types, each sorted, ordered by first member. */
    static List<int[]> components(DependencyGraph g, Set<DependencyType> allowed) {
        Tarjan t = new Tarjan(g, allowed);
        for (int root = 0; root < g.size(); root++) {
            if (t.index[root] < 0) {
                t.visit(root);
            }
        }
        t.result.sort(Comparator.comparingInt(c -> c[0]));
        return t.result;
    }

    private void visit(int root) {
        int cp = 0;
        calls[cp++] = root;
        discover(root);
        while (cp > 0) {
            int v = calls[cp - 1];
            List<Dependency> edges = graph.out(v);
            if (edgePos[v] < edges.size()) {
                Dependency e = edges.get(edgePos[v]++);
                int w = e.to();
                if (!allowed.contains(e.type())) {
                    continue;
                }
                if (index[w] < 0) {
                    discover(w);
                    calls[cp++] = w;
                } else if (onStack[w]) {
                    low[v] = Math.min(low[v], index[w]);
                }
                continue;
            }
            cp--;
            if (cp > 0) {
                int u = calls[cp - 1];
                low[u] = Math.min(low[u], low[v]);
            }
            if (low[v] == index[v]) {
                popComponent(v);
            }
        }
    }

    private void discover(int v) {
        index[v] = low[v] = counter++;
        stack[sp++] = v;
        onStack[v] = true;
    }

    private void popComponent(int v) {
        int start = sp;
        do {
            start--;
            onStack[stack[start]] = false;
        } while (stack[start] != v);
        int[] component = Arrays.copyOfRange(stack, start, sp);
        sp = start;
        if (component.length > 1) {
            Arrays.sort(component);
            result.add(component);
        }
    }
}
