package dev.meridian.testkit.history.append;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The verdict of {@link ListAppendChecker}.
 *
 * @param model        the model checked against
 * @param valid        true when no anomaly found is forbidden by the model
 * @param transactions how many transactions the history has
 * @param anomalies    every anomaly found, including those the model allows (e.g. realtime
 *                     cycles under serializability), in a stable order
 */
public record ListAppendResult(ConsistencyModel model, boolean valid, int transactions, List<Anomaly> anomalies) {
    public ListAppendResult {
        anomalies = List.copyOf(anomalies);
    }

    /** The labels of every anomaly found, sorted. */
    public SortedSet<String> names() {
        return anomalies.stream().map(a -> a.type().label()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The anomalies that make the history invalid under the model. */
    public List<Anomaly> forbidden() {
        return anomalies.stream().filter(a -> model.forbids(a.type())).toList();
    }

    /** How many anomalies of each type {@link #report()} prints in full; {@link #anomalies()} has them all. */
    public static final int SHOWN_PER_TYPE = 5;

    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("list-append (").append(model.name().toLowerCase(java.util.Locale.ROOT)).append("): ")
                .append(valid ? "valid" : "INVALID").append(", ").append(transactions).append(" transactions");
        List<Anomaly> bad = forbidden();
        sb.append(", ").append(bad.size()).append(" forbidden anomalies, ")
                .append(anomalies.size() - bad.size()).append(" allowed\n");
        Map<AnomalyType, Integer> shown = new EnumMap<>(AnomalyType.class);
        for (Anomaly a : anomalies) {
            int n = shown.merge(a.type(), 1, Integer::sum);
            if (n <= SHOWN_PER_TYPE) {
                sb.append(model.forbids(a.type()) ? "  forbidden " : "  allowed ").append(a.describe("  ").strip()).append('\n');
            }
        }
        shown.forEach((type, n) -> {
            if (n > SHOWN_PER_TYPE) {
                sb.append("  ... and ").append(n - SHOWN_PER_TYPE).append(" more ").append(type.label()).append('\n');
            }
        });
        return sb.toString();
    }
}
