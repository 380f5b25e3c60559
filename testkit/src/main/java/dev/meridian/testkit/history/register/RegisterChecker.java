package dev.meridian.testkit.history.register;

import dev.meridian.testkit.history.History;
import dev.meridian.testkit.history.OpType;
import dev.meridian.testkit.history.Operation;
import dev.meridian.testkit.history.Payload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks that a history of register operations (read, write, compare-and-set) is linearizable,
 * one key at a time (linearizability is compositional, so per-key checks are exact and much
 * cheaper than one search over all keys).
 *
 * <p>Every register starts unset ("nil") unless an initial value is given. {@code fail}
 * operations are dropped; {@code info} writes and compare-and-sets may take effect at any point
 * after their invocation, or never; reads that completed with {@code info} carry no value and
 * constrain nothing, so they are dropped too.
 */
public final class RegisterChecker {

    private RegisterChecker() {
    }

    /** Checks with every register initially unset. */
    public static RegisterResult check(History history) {
        return check(history, null);
    }

    /** Checks with every register initially holding {@code initialValue} (null: unset). */
    public static RegisterResult check(History history, Long initialValue) {
        Map<String, List<Operation>> byKey = new TreeMap<>();
        for (Operation op : history.operations()) {
            String key = keyOf(op);
            if (op.outcome() == OpType.FAIL) {
                continue;
            }
            if (op.outcome() == OpType.INFO && op.invocation().payload() instanceof Payload.Read) {
                continue;
            }
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(op);
        }
        List<RegisterResult.KeyVerdict> verdicts = new ArrayList<>();
        boolean valid = true;
        for (Map.Entry<String, List<Operation>> e : byKey.entrySet()) {
            RegisterResult.Witness witness = new LinearizationSearch(e.getValue(), initialValue).run();
            valid &= witness == null;
            verdicts.add(new RegisterResult.KeyVerdict(e.getKey(), witness == null, e.getValue().size(), witness));
        }
        return new RegisterResult(valid, verdicts);
    }

    private static String keyOf(Operation op) {
        return switch (op.invocation().payload()) {
            case Payload.Read r -> r.key();
            case Payload.Write w -> w.key();
            case Payload.Cas c -> c.key();
            default -> throw new IllegalArgumentException("not a register operation: " + op);
        };
    }
}
