package dev.meridian.testkit.history.register;

import dev.meridian.testkit.history.OpType;
import dev.meridian.testkit.history.Operation;
import dev.meridian.testkit.history.Payload;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Wing–Gong search with Lowe's memoization for one register. Events (invocations and
 * completions) sit in a doubly linked list in history order; the search walks it, and at an
 * invocation tries to make that operation take effect now ("lift" it and its completion out of
 * the list), restarting from the head; at a completion whose operation has not taken effect it
 * backtracks. A configuration (set of operations taken effect, register value) seen before is
 * never explored twice, which is what keeps the search polynomial on realistic histories.
 *
 * <p>Info operations complete at +infinity: their completion sits after every other event, so
 * the search may lift them anywhere after their invocation or never; it succeeds once every
 * operation that must happen has taken effect. Most info operations are settled before the
 * search (see {@link #infoDeadlines}), because each one left open can double the work.
 *
 * <p>HAZARD: the worst case is still exponential in the number of concurrently open operations
 * (info operations stay open forever). The memo set is a HashSet used only for membership, so
 * its iteration order never reaches the output.
 */
final class LinearizationSearch {

    /** Register value meaning "unset"; writes of this value are rejected. */
    static final long NIL = Long.MIN_VALUE;

    private final List<Operation> ops;
    private final int[] kind; // 0 read, 1 write, 2 cas
    private final long[] argA;
    private final long[] argB;
    private final boolean[] mustHappen;
    private final int[] completion; // history index by which the op must have taken effect
    private final long initial;

    // The event list: entries 0..2n-1 (call of op i = 2i, return = 2i+1), head sentinel = 2n.
    private final int[] next;
    private final int[] prev;
    private final int[] rank; // position of each event in history order, for the witness

    LinearizationSearch(List<Operation> ops, Long initial) {
        this.initial = encode(initial);
        int all = ops.size();
        int[] allKind = new int[all];
        long[] allA = new long[all];
        long[] allB = new long[all];
        for (int i = 0; i < all; i++) {
            decode(ops.get(i), i, allKind, allA, allB);
        }
        int[] deadline = infoDeadlines(ops, allKind, allA, allB);
        List<Operation> kept = new ArrayList<>();
        List<Integer> keptIndex = new ArrayList<>();
        for (int i = 0; i < all; i++) {
            if (deadline[i] != DROP) {
                kept.add(ops.get(i));
                keptIndex.add(i);
            }
        }
        this.ops = List.copyOf(kept);
        int n = kept.size();
        this.kind = new int[n];
        this.argA = new long[n];
        this.argB = new long[n];
        this.mustHappen = new boolean[n];
        this.completion = new int[n];
        for (int j = 0; j < n; j++) {
            int i = keptIndex.get(j);
            kind[j] = allKind[i];
            argA[j] = allA[i];
            argB[j] = allB[i];
            completion[j] = deadline[i];
            mustHappen[j] = deadline[i] != Integer.MAX_VALUE;
        }
        this.next = new int[2 * n + 1];
        this.prev = new int[2 * n + 1];
        this.rank = new int[2 * n];
        link();
    }

    private static final int DROP = -1;

    /**
     * When each operation must have taken effect: its completion if ok; for an info write or
     * cas, +infinity in general, but two cases are decided up front because open info
     * operations are what makes the search blow up:
     * <ul>
     *   <li>nothing ever observed its value (no read returned it, no cas expected it): taking
     *       effect or not is indistinguishable to every other operation, so it is dropped;</li>
     *   <li>it is the only writer of its value and an ok operation observed that value: it must
     *       have taken effect before the earliest such observer completed, so it gets that
     *       deadline and must happen (unless the observer completed before it was invoked, which
     *       the search then reports at the observer).</li>
     * </ul>
     */
    private int[] infoDeadlines(List<Operation> ops, int[] k, long[] a, long[] b) {
        int n = ops.size();
        TreeMap<Long, Integer> writers = new TreeMap<>();
        TreeMap<Long, Integer> firstOkObserver = new TreeMap<>();
        TreeSet<Long> observed = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            if (k[i] != 0) {
                writers.merge(k[i] == 1 ? a[i] : b[i], 1, Integer::sum);
            }
            if (k[i] != 1) {
                observed.add(a[i]);
                if (ops.get(i).outcome() == OpType.OK) {
                    firstOkObserver.merge(a[i], ops.get(i).completeIndex(), Math::min);
                }
            }
        }
        int[] deadline = new int[n];
        for (int i = 0; i < n; i++) {
            Operation op = ops.get(i);
            deadline[i] = op.completeIndex();
            if (op.outcome() == OpType.OK) {
                continue;
            }
            long written = k[i] == 1 ? a[i] : b[i];
            Integer observer = firstOkObserver.get(written);
            if (!observed.contains(written)) {
                deadline[i] = DROP;
            } else if (writers.get(written) == 1 && written != initial && observer != null && observer > op.invokeIndex()) {
                deadline[i] = observer;
            }
        }
        return deadline;
    }

    private static void decode(Operation op, int i, int[] kind, long[] argA, long[] argB) {
        // An ok completion carries what was observed; otherwise the invocation says what was asked.
        Payload p = op.outcome() == OpType.OK ? op.payload() : op.invocation().payload();
        switch (p) {
            case Payload.Read r -> {
                kind[i] = 0;
                argA[i] = encode(r.value());
            }
            case Payload.Write w -> {
                kind[i] = 1;
                argA[i] = checkValue(w.value(), op);
            }
            case Payload.Cas c -> {
                kind[i] = 2;
                argA[i] = checkValue(c.expected(), op);
                argB[i] = checkValue(c.next(), op);
            }
            default -> throw new IllegalArgumentException("not a register operation: " + op);
        }
    }

    private static long checkValue(long v, Operation op) {
        if (v == NIL) {
            throw new IllegalArgumentException("register value " + NIL + " is reserved: " + op);
        }
        return v;
    }

    private static long encode(Long v) {
        return v == null ? NIL : v;
    }

    static String show(long v) {
        return v == NIL ? "nil" : Long.toString(v);
    }

    private void link() {
        int n = ops.size();
        Integer[] events = new Integer[2 * n];
        for (int e = 0; e < 2 * n; e++) {
            events[e] = e;
        }
        Arrays.sort(events, Comparator.comparingLong(this::eventPosition).thenComparingInt(e -> e));
        int head = 2 * n;
        int last = head;
        for (int r = 0; r < events.length; r++) {
            int e = events[r];
            rank[e] = r;
            next[last] = e;
            prev[e] = last;
            last = e;
        }
        next[last] = -1;
    }

    private long eventPosition(int e) {
        Operation op = ops.get(e / 2);
        return (e & 1) == 0 ? op.invokeIndex() : completion[e / 2];
    }

    private void lift(int call) {
        int ret = call + 1;
        next[prev[call]] = next[call];
        if (next[call] >= 0) {
            prev[next[call]] = prev[call];
        }
        next[prev[ret]] = next[ret];
        if (next[ret] >= 0) {
            prev[next[ret]] = prev[ret];
        }
    }

    private void unlift(int call) {
        int ret = call + 1;
        // Undo in reverse order of lift so neighbours are restored exactly.
        next[prev[ret]] = ret;
        if (next[ret] >= 0) {
            prev[next[ret]] = ret;
        }
        next[prev[call]] = call;
        if (next[call] >= 0) {
            prev[next[call]] = call;
        }
    }

    /** Whether op {@code i} can take effect on a register holding {@code state}. */
    private boolean applicable(int i, long state) {
        return switch (kind[i]) {
            case 0 -> argA[i] == state;
            case 1 -> true;
            default -> argA[i] == state;
        };
    }

    /** The register value after op {@code i} takes effect on {@code state}. */
    private long apply(int i, long state) {
        return switch (kind[i]) {
            case 0 -> state;
            case 1 -> argA[i];
            default -> argB[i];
        };
    }

    private record Config(BitSet taken, long value) {
    }

    // Search state, used once by run().
    private final BitSet taken = new BitSet();
    private final Set<Config> seen = new HashSet<>();
    private final Deque<long[]> stack = new ArrayDeque<>(); // {call event, value before it}
    private long value;
    private int done;

    /** Returns null when linearizable, else the witness of the furthest failure. */
    RegisterResult.Witness run() {
        int n = ops.size();
        int mustCount = 0;
        for (boolean b : mustHappen) {
            mustCount += b ? 1 : 0;
        }
        int head = 2 * n;
        value = initial;
        int entry = next[head];
        Furthest furthest = new Furthest();
        while (done < mustCount) {
            if (entry < 0 || (entry & 1) == 1 && !mustHappen[entry / 2]) {
                break; // only info completions left: every operation that must happen took effect
            }
            if ((entry & 1) == 0) {
                entry = tryLift(entry) ? next[head] : next[entry];
                continue;
            }
            furthest.note(rank[entry], entry / 2, value, stack);
            if (stack.isEmpty()) {
                return furthest.witness();
            }
            entry = backtrack();
        }
        return null;
    }

    /** Lets the operation of {@code call} take effect now, unless impossible or already explored. */
    private boolean tryLift(int call) {
        int op = call / 2;
        if (!applicable(op, value)) {
            return false;
        }
        long after = apply(op, value);
        taken.set(op);
        if (!seen.add(new Config((BitSet) taken.clone(), after))) {
            taken.clear(op);
            return false;
        }
        stack.push(new long[] {call, value});
        value = after;
        done += mustHappen[op] ? 1 : 0;
        lift(call);
        return true;
    }

    /** Undoes the last lift; returns the event after it, where the search continues. */
    private int backtrack() {
        long[] top = stack.pop();
        int call = (int) top[0];
        taken.clear(call / 2);
        value = top[1];
        done -= mustHappen[call / 2] ? 1 : 0;
        unlift(call);
        return next[call];
    }

    /** The completion reached furthest into the history without its operation taking effect. */
    private final class Furthest {
        private int bestRank = -1;
        private int op;
        private final TreeSet<Long> values = new TreeSet<>();
        private List<Operation> tail = List.of();

        void note(int eventRank, int failedOp, long value, Deque<long[]> stack) {
            if (eventRank < bestRank) {
                return;
            }
            if (eventRank > bestRank) {
                bestRank = eventRank;
                op = failedOp;
                values.clear();
                List<Operation> order = new ArrayList<>();
                stack.descendingIterator().forEachRemaining(s -> order.add(ops.get((int) s[0] / 2)));
                tail = List.copyOf(order.subList(Math.max(0, order.size() - 8), order.size()));
            }
            values.add(value);
        }

        RegisterResult.Witness witness() {
            List<String> shown = values.stream().map(LinearizationSearch::show).toList();
            return new RegisterResult.Witness(ops.get(op), shown, tail);
        }
    }
}
