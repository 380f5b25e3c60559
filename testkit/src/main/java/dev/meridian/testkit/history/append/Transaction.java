package dev.meridian.testkit.history.append;

import dev.meridian.testkit.history.MicroOp;
import dev.meridian.testkit.history.OpType;

import java.util.List;

/**
 * A list-append transaction as the checker sees it.
 *
 * @param id            ordinal of the operation in the history ({@code T<id>} in reports)
 * @param process       the client process
 * @param outcome       ok, fail or info
 * @param ops           the micro-operations; reads carry observed lists only when ok
 * @param invokeIndex   history index of the invocation
 * @param completeIndex history index of the completion; {@link Integer#MAX_VALUE} unless ok or fail
 */
public record Transaction(int id, int process, OpType outcome, List<MicroOp> ops, int invokeIndex, int completeIndex) {
    public Transaction {
        ops = List.copyOf(ops);
    }

    public String name() {
        return "T" + id;
    }

    @Override
    public String toString() {
        String end = completeIndex == Integer.MAX_VALUE ? "" : ".." + completeIndex;
        return name() + " (p" + process + " " + outcome.word() + " @" + invokeIndex + end + ": "
                + briefOps() + ")";
    }

    /** The micro-operations with long read lists abbreviated, for reports. */
    private String briefOps() {
        StringBuilder sb = new StringBuilder();
        for (MicroOp m : ops) {
            sb.append(sb.isEmpty() ? "" : "; ");
            switch (m) {
                case MicroOp.Append a -> sb.append("append ").append(a.key()).append(' ').append(a.value());
                case MicroOp.Read r -> sb.append("read ").append(r.key()).append(' ')
                        .append(r.observed() == null ? "nil" : ReadAnalysis.brief(r.observed()));
            }
        }
        return sb.toString();
    }
}
