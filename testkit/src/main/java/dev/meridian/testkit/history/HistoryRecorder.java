package dev.meridian.testkit.history;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Records a history from concurrent client threads. Each client thread uses its own process id
 * (see {@link #newProcess()}); a process is sequential. After {@link #info} the process is retired
 * and must not invoke again: the client does not know whether its last operation happened, so a
 * later operation from the same id would make the history ambiguous.
 *
 * <p>Thread-safe: every method takes the recorder's lock, and reads the clock under it, so
 * event indices and times increase together. Misuse (completing without an open invocation,
 * invoking twice, invoking on a retired process) throws {@link IllegalStateException}.
 */
public final class HistoryRecorder {

    private final LongSupplier nanoClock;
    private final Object lock = new Object();
    // Guarded by lock.
    private final List<Op> ops = new ArrayList<>();
    private final TreeMap<Integer, Op> open = new TreeMap<>();
    private final TreeSet<Integer> retired = new TreeSet<>();
    private final TreeSet<Integer> used = new TreeSet<>();
    private int nextProcess;

    /** @param nanoClock a monotonic clock in nanoseconds, e.g. {@code System::nanoTime} at the edge */
    public HistoryRecorder(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** A process id never used before on this recorder (by this method or by an explicit id). */
    public int newProcess() {
        synchronized (lock) {
            while (used.contains(nextProcess)) {
                nextProcess++;
            }
            used.add(nextProcess);
            return nextProcess++;
        }
    }

    public Op invoke(int process, Payload payload) {
        synchronized (lock) {
            if (retired.contains(process)) {
                throw new IllegalStateException("process " + process + " was retired after an info completion;"
                        + " use a new process id");
            }
            if (open.containsKey(process)) {
                throw new IllegalStateException("process " + process + " already has an open invocation: "
                        + open.get(process));
            }
            Op op = appendLocked(OpType.INVOKE, process, payload);
            open.put(process, op);
            return op;
        }
    }

    /** The operation happened; {@code observed} carries read results. */
    public Op ok(int process, Payload observed) {
        return complete(OpType.OK, process, observed);
    }

    /** The operation certainly did not happen. */
    public Op fail(int process, Payload payload) {
        return complete(OpType.FAIL, process, payload);
    }

    /** Unknown whether the operation happened; retires the process. */
    public Op info(int process, Payload payload) {
        return complete(OpType.INFO, process, payload);
    }

    /** Whether the process has an invocation without completion. */
    public boolean isOpen(int process) {
        synchronized (lock) {
            return open.containsKey(process);
        }
    }

    /** A snapshot of the events so far. */
    public History history() {
        synchronized (lock) {
            return new History(ops);
        }
    }

    private Op complete(OpType type, int process, Payload payload) {
        synchronized (lock) {
            Op inv = open.get(process);
            if (inv == null) {
                throw new IllegalStateException("process " + process + " has no open invocation to complete with "
                        + type.word() + " " + HistoryFormat.printPayload(payload));
            }
            if (!inv.payload().function().equals(payload.function())) {
                throw new IllegalStateException("completion " + payload.function() + " does not match invocation " + inv);
            }
            open.remove(process);
            if (type == OpType.INFO) {
                retired.add(process);
            }
            return appendLocked(type, process, payload);
        }
    }

    private Op appendLocked(OpType type, int process, Payload payload) {
        if (process < 0) {
            throw new IllegalArgumentException("process ids are >= 0: " + process);
        }
        Op op = new Op(ops.size(), type, process, nanoClock.getAsLong(), payload);
        ops.add(op);
        used.add(process);
        return op;
    }
}
