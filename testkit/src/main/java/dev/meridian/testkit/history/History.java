package dev.meridian.testkit.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A well-formed history: events in order, each process sequential (an invocation, then its
 * completion, then the next invocation), completions of the same function as their invocation,
 * and no invocation on a process after it completed with {@code info}. The constructor checks
 * this and throws {@link IllegalArgumentException} naming the first offending event.
 */
public final class History {

    private final List<Op> ops;
    private final List<Operation> operations;

    public History(List<Op> ops) {
        this.ops = List.copyOf(ops);
        this.operations = pair(this.ops);
    }

    /** Every event, in order. */
    public List<Op> ops() {
        return ops;
    }

    /** Invocations paired with their completions, in invocation order. */
    public List<Operation> operations() {
        return operations;
    }

    public int size() {
        return ops.size();
    }

    private static List<Operation> pair(List<Op> ops) {
        Pairing pairing = new Pairing();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            if (op.index() != i) {
                throw new IllegalArgumentException("event " + i + " has index " + op.index() + ": " + op);
            }
            if (op.type() == OpType.INVOKE) {
                pairing.invoke(op);
            } else {
                pairing.complete(op);
            }
        }
        List<Operation> result = new ArrayList<>(pairing.slots.size());
        for (Op[] s : pairing.slots) {
            result.add(new Operation(result.size(), s[0], s[1]));
        }
        return List.copyOf(result);
    }

    /** Open invocations per process; completions arrive out of invocation order, slots keep that order. */
    private static final class Pairing {
        final Map<Integer, Op> open = new TreeMap<>();
        final TreeSet<Integer> retired = new TreeSet<>();
        final List<Op[]> slots = new ArrayList<>();
        final Map<Integer, Integer> slotOfProcess = new TreeMap<>();

        void invoke(Op op) {
            int p = op.process();
            if (retired.contains(p)) {
                throw new IllegalArgumentException("process " + p + " was retired by an info completion"
                        + " and cannot invoke again: " + op);
            }
            if (open.containsKey(p)) {
                throw new IllegalArgumentException("process " + p + " invoked while " + open.get(p)
                        + " is still open: " + op);
            }
            open.put(p, op);
            slotOfProcess.put(p, slots.size());
            slots.add(new Op[] {op, null});
        }

        void complete(Op op) {
            int p = op.process();
            Op inv = open.remove(p);
            if (inv == null) {
                throw new IllegalArgumentException("completion for process " + p + " with no open invocation: " + op);
            }
            if (!inv.payload().function().equals(op.payload().function())) {
                throw new IllegalArgumentException("completion " + op + " does not match its invocation " + inv);
            }
            slots.get(slotOfProcess.get(p))[1] = op;
            if (op.type() == OpType.INFO) {
                retired.add(p);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof History h && h.ops.equals(ops);
    }

    @Override
    public int hashCode() {
        return ops.hashCode();
    }

    @Override
    public String toString() {
        return HistoryFormat.print(this);
    }
}
