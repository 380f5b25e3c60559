package dev.meridian.testkit.history.append;

import dev.meridian.testkit.history.MicroOp;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who appended each element: the workload appends every value at most once per key, which is
 * what lets a read name its writers. A value appended twice breaks that contract, so it is
 * rejected as bad input rather than reported as an anomaly.
 */
final class ElementWriters {

    /** The transaction that appended an element, and whether it was its last append to that key. */
    record Writer(Transaction txn, boolean finalAppendToKey) {
    }

    private final Map<String, Map<Long, Writer>> byKey = new TreeMap<>();

    ElementWriters(List<Transaction> txns) {
        for (Transaction t : txns) {
            Map<String, Long> lastAppend = new TreeMap<>();
            for (MicroOp m : t.ops()) {
                if (m instanceof MicroOp.Append a) {
                    lastAppend.put(a.key(), a.value());
                }
            }
            for (MicroOp m : t.ops()) {
                if (m instanceof MicroOp.Append a) {
                    Writer w = new Writer(t, lastAppend.get(a.key()) == a.value());
                    Writer before = byKey.computeIfAbsent(a.key(), k -> new TreeMap<>()).put(a.value(), w);
                    if (before != null) {
                        throw new IllegalArgumentException("value " + a.value() + " appended to key " + a.key()
                                + " twice (by " + before.txn() + " and " + t + "); list-append needs unique values");
                    }
                }
            }
        }
    }

    /** The writer of {@code value} on {@code key}, or null if nobody appended it. */
    Writer writer(String key, long value) {
        Map<Long, Writer> m = byKey.get(key);
        return m == null ? null : m.get(value);
    }
}
