package dev.meridian.testkit.history;

/**
 * One event of a history.
 *
 * @param index   position in the history, from 0; the order of events is the order of indices
 * @param type    invoke, ok, fail or info
 * @param process the client process; sequential: at most one open invocation at a time
 * @param time    monotonic nanoseconds from the recorder's clock; informational, checkers order
 *                events by {@code index}
 * @param payload what was asked (invoke) or observed (completion)
 */
public record Op(int index, OpType type, int process, long time, Payload payload) {
    public Op {
        if (index < 0 || process < 0) {
            throw new IllegalArgumentException("index and process must be >= 0: " + index + ", " + process);
        }
        if (type == null || payload == null) {
            throw new IllegalArgumentException("type and payload are required");
        }
    }

    @Override
    public String toString() {
        return HistoryFormat.printOp(this);
    }
}
