package dev.meridian.testkit.history.append;

import java.util.List;

/**
 * One anomaly found in a list-append history.
 *
 * @param type         its name
 * @param transactions the transactions involved, in the order of the cycle or of the finding
 * @param cycle        for cycle anomalies the cycle's edges in order (the last one returns to the
 *                     first transaction); empty otherwise
 * @param explanation  what is wrong, naming keys and values
 */
public record Anomaly(AnomalyType type, List<Transaction> transactions, List<Dependency> cycle, String explanation) {
    public Anomaly {
        transactions = List.copyOf(transactions);
        cycle = List.copyOf(cycle);
    }

    public String describe(String indent) {
        StringBuilder sb = new StringBuilder();
        sb.append(indent).append(type.label()).append(": ").append(explanation).append('\n');
        for (Transaction t : transactions) {
            sb.append(indent).append("  ").append(t).append('\n');
        }
        for (Dependency d : cycle) {
            sb.append(indent).append("  ").append(d).append('\n');
        }
        return sb.toString();
    }
}
