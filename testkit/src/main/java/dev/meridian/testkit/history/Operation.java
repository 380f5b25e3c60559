package dev.meridian.testkit.history;

/**
 * An invocation paired with its completion. A completion that never came (the history ended
 * first) counts as {@link OpType#INFO}: the operation may or may not have happened.
 *
 * @param id         ordinal among the history's operations, in invocation order
 * @param invocation the invoke event
 * @param completion the ok/fail/info event, or null when the history ended before it
 */
public record Operation(int id, Op invocation, Op completion) {

    /** OK, FAIL or INFO (INFO also when there is no completion). */
    public OpType outcome() {
        return completion == null ? OpType.INFO : completion.type();
    }

    /** The observed payload for ok; otherwise the completion's if any, else the invocation's. */
    public Payload payload() {
        return completion == null ? invocation.payload() : completion.payload();
    }

    public int process() {
        return invocation.process();
    }

    /** Index of the invocation event. */
    public int invokeIndex() {
        return invocation.index();
    }

    /** Index of the completion event; {@link Integer#MAX_VALUE} unless ok or fail (the effect may come at any later time). */
    public int completeIndex() {
        return completion == null || completion.type() == OpType.INFO ? Integer.MAX_VALUE : completion.index();
    }

    @Override
    public String toString() {
        String where = completion == null ? "@" + invocation.index() + "..(none)"
                : "@" + invocation.index() + ".." + completion.index();
        return "p" + process() + " " + outcome().word() + " " + HistoryFormat.printPayload(payload()) + " " + where;
    }
}
