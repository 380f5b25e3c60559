package dev.meridian.testkit.history.register;

import dev.meridian.testkit.history.Operation;

import java.util.List;

/**
 * The verdict of {@link RegisterChecker}: linearizable when every key is.
 *
 * @param valid true when every key's history is linearizable
 * @param keys  one verdict per key, in key order
 */
public record RegisterResult(boolean valid, List<KeyVerdict> keys) {
    public RegisterResult {
        keys = List.copyOf(keys);
    }

    /** The verdicts of keys that are not linearizable. */
    public List<KeyVerdict> failures() {
        return keys.stream().filter(k -> !k.linearizable()).toList();
    }

    /** A report for a person: one line per key, and the witness for each failure. */
    public String report() {
        StringBuilder sb = new StringBuilder(valid ? "register: linearizable\n" : "register: NOT linearizable\n");
        for (KeyVerdict k : keys) {
            sb.append("  key ").append(k.key()).append(": ").append(k.operations()).append(" operations, ")
                    .append(k.linearizable() ? "linearizable" : "NOT linearizable").append('\n');
            if (k.witness() != null) {
                sb.append(k.witness().describe("    "));
            }
        }
        return sb.toString();
    }

    /**
     * @param key          the register
     * @param linearizable whether a linearization exists
     * @param operations   operations checked (fail operations and info reads are not counted)
     * @param witness      why not, or null when linearizable
     */
    public record KeyVerdict(String key, boolean linearizable, int operations, Witness witness) {
    }

    /**
     * The furthest the search got: no order of the operations invoked so far lets
     * {@code operation} take effect before it completed.
     *
     * @param operation      the ok operation that could not be linearized
     * @param possibleValues every register value ("nil" when unset) some linearization of the
     *                       operations before it could leave, in ascending order
     * @param linearizedTail the last operations of one longest linearization found, in order
     */
    public record Witness(Operation operation, List<String> possibleValues, List<Operation> linearizedTail) {
        public Witness {
            possibleValues = List.copyOf(possibleValues);
            linearizedTail = List.copyOf(linearizedTail);
        }

        String describe(String indent) {
            StringBuilder sb = new StringBuilder();
            sb.append(indent).append("cannot linearize ").append(operation).append('\n');
            sb.append(indent).append("values the register could hold before it completed: ")
                    .append(String.join(", ", possibleValues)).append('\n');
            if (!linearizedTail.isEmpty()) {
                sb.append(indent).append("end of one longest linearization:\n");
                for (Operation o : linearizedTail) {
                    sb.append(indent).append("  ").append(o).append('\n');
                }
            }
            return sb.toString();
        }
    }
}
