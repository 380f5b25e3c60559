package dev.meridian.testkit.history.append;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Tarjan's strongly connected components, iterative so a long dependency chain cannot overflow
 * the thread stack.
 */
final class Tarjan {

    private Tarjan() {
    }

    /** Components of two or more transactions over edges of the given types, each sorted, ordered by first member. */
    static List<int[]> components(DependencyGraph g, Set<DependencyType> allowed) {
        int n = g.size();
        int[] index = new int[n];
        int[] low = new int[n];
        int[] edgePos = new int[n];
        boolean[] onStack = new boolean[n];
        int[] stack = new int[n];
        int[] calls = new int[n];
        Arrays.fill(index, -1);
        int sp = 0;
        int counter = 0;
        List<int[]> result = new ArrayList<>();
        for (int root = 0; root < n; root++) {
            if (index[root] >= 0) {
                continue;
            }
            int cp = 0;
            calls[cp++] = root;
            index[root] = low[root] = counter++;
            stack[sp++] = root;
            onStack[root] = true;
            while (cp > 0) {
                int v = calls[cp - 1];
                List<Dependency> edges = g.out(v);
                if (edgePos[v] < edges.size()) {
                    Dependency e = edges.get(edgePos[v]++);
                    if (!allowed.contains(e.type())) {
                        continue;
                    }
                    int w = e.to();
                    if (index[w] < 0) {
                        index[w] = low[w] = counter++;
                        stack[sp++] = w;
                        onStack[w] = true;
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
        }
        result.sort(Comparator.comparingInt(c -> c[0]));
        return result;
    }
}
