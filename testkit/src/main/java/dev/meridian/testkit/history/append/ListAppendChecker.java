package dev.meridian.testkit.history.append;

import dev.meridian.testkit.history.History;
import dev.meridian.testkit.history.MicroOp;
import dev.meridian.testkit.history.OpType;
import dev.meridian.testkit.history.Operation;
import dev.meridian.testkit.history.Payload;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a list-append history (TESTING.md, "Checkers", list-append) against a consistency
 * model: per-transaction checks, version orders, aborted and intermediate reads, then the
 * dependency graph's cycles.
 *
 * <p>Usage: {@code ListAppendChecker.check(recorder.history(), ConsistencyModel.STRICT_SERIALIZABLE)};
 * print {@link ListAppendResult#report()} when it is not {@code valid}.
 */
public final class ListAppendChecker {

    private ListAppendChecker() {
    }

    public static ListAppendResult check(History history, ConsistencyModel model) {
        List<Transaction> txns = transactions(history);
        ElementWriters writers = new ElementWriters(txns);
        List<Anomaly> anomalies = new ArrayList<>();
        ReadAnalysis reads = new ReadAnalysis(txns, writers);
        anomalies.addAll(reads.anomalies());
        // Process order is implied by real time (a process is sequential), so only the session
        // model, which does not use real time, needs its own edges.
        boolean processEdges = model == ConsistencyModel.STRONG_SESSION_SERIALIZABLE;
        DependencyGraph graph = DependencyGraph.build(txns, writers, reads.versionOrders(), processEdges);
        anomalies.addAll(new CycleFinder(graph, txns, processEdges).find());
        boolean valid = anomalies.stream().noneMatch(a -> model.forbids(a.type()));
        return new ListAppendResult(model, valid, txns.size(), anomalies);
    }

    /** The history's operations as transactions; reads of transactions that did not complete ok are unknown. */
    static List<Transaction> transactions(History history) {
        List<Transaction> txns = new ArrayList<>();
        for (Operation op : history.operations()) {
            if (!(op.invocation().payload() instanceof Payload.Txn asked)) {
                throw new IllegalArgumentException("not a list-append transaction: " + op);
            }
            List<MicroOp> ops = asked.ops();
            if (op.outcome() == OpType.OK) {
                ops = ((Payload.Txn) op.payload()).ops();
            } else {
                ops = ops.stream().map(m -> m instanceof MicroOp.Read r ? (MicroOp) MicroOp.Read.of(r.key()) : m).toList();
            }
            int completed = op.outcome() == OpType.FAIL ? op.completion().index() : op.completeIndex();
            txns.add(new Transaction(op.id(), op.process(), op.outcome(), ops, op.invokeIndex(), completed));
        }
        return txns;
    }
}
