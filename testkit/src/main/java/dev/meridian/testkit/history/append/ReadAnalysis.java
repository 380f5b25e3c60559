package dev.meridian.testkit.history.append;

import dev.meridian.testkit.history.HistoryFormat;
import dev.meridian.testkit.history.MicroOp;
import dev.meridian.testkit.history.OpType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The checks that need no dependency graph (TESTING.md steps 1–3): internal consistency and
 * duplicates per transaction, the version order of each key, aborted reads (G1a), intermediate
 * reads (G1b), dirty updates and reads of elements nobody appended.
 */
final class ReadAnalysis {

    /** One ok read: which transaction, which key, what list. */
    record ObservedRead(Transaction txn, String key, List<Long> list) {
    }

    private final ElementWriters writers;
    private final List<Anomaly> anomalies = new ArrayList<>();
    private final Map<String, List<ObservedRead>> readsByKey = new TreeMap<>();
    private final Map<String, List<Long>> versionOrders = new TreeMap<>();

    ReadAnalysis(List<Transaction> txns, ElementWriters writers) {
        this.writers = writers;
        for (Transaction t : txns) {
            if (t.outcome() == OpType.OK) {
                checkInternal(t);
                collectReads(t);
            }
        }
        for (List<ObservedRead> reads : readsByKey.values()) {
            for (ObservedRead r : reads) {
                checkDuplicates(r);
                checkWriters(r);
            }
        }
        readsByKey.forEach(this::orderVersions);
        readsByKey.forEach(this::checkDirtyUpdates);
    }

    List<Anomaly> anomalies() {
        return anomalies;
    }

    /** Each key's version order, the longest observed list, for keys whose reads agree. */
    Map<String, List<Long>> versionOrders() {
        return versionOrders;
    }

    private void checkInternal(Transaction t) {
        Map<String, List<Long>> known = new TreeMap<>();
        Map<String, List<Long>> ownSuffix = new TreeMap<>();
        for (MicroOp m : t.ops()) {
            String k = m.key();
            if (m instanceof MicroOp.Append a) {
                List<Long> into = known.containsKey(k) ? known.get(k) : ownSuffix.computeIfAbsent(k, x -> new ArrayList<>());
                into.add(a.value());
                continue;
            }
            List<Long> seen = ((MicroOp.Read) m).observed();
            if (seen == null) {
                throw new IllegalArgumentException("an ok transaction's read of " + k + " has no list: " + t);
            }
            List<Long> expected = known.get(k);
            List<Long> suffix = ownSuffix.getOrDefault(k, List.of());
            if (expected != null && !expected.equals(seen)) {
                add(AnomalyType.INTERNAL, List.of(t), "read of " + k + " returned " + HistoryFormat.printList(seen)
                        + " but the transaction's own reads and appends imply " + HistoryFormat.printList(expected));
            } else if (expected == null && !endsWith(seen, suffix)) {
                add(AnomalyType.INTERNAL, List.of(t), "read of " + k + " returned " + HistoryFormat.printList(seen)
                        + " which does not end with the transaction's own appends " + HistoryFormat.printList(suffix));
            }
            known.put(k, new ArrayList<>(seen));
        }
    }

    private static boolean endsWith(List<Long> list, List<Long> suffix) {
        return list.size() >= suffix.size() && list.subList(list.size() - suffix.size(), list.size()).equals(suffix);
    }

    private void collectReads(Transaction t) {
        for (MicroOp m : t.ops()) {
            if (m instanceof MicroOp.Read r) {
                readsByKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new ObservedRead(t, r.key(), r.observed()));
            }
        }
    }

    private void checkDuplicates(ObservedRead r) {
        Set<Long> seen = new TreeSet<>();
        Set<Long> twice = new TreeSet<>();
        for (long v : r.list()) {
            if (!seen.add(v)) {
                twice.add(v);
            }
        }
        if (!twice.isEmpty()) {
            add(AnomalyType.DUPLICATES, List.of(r.txn()), "read of " + r.key() + " returned "
                    + HistoryFormat.printList(r.list()) + " with " + twice + " more than once");
        }
    }

    private void checkWriters(ObservedRead r) {
        Set<Long> reported = new TreeSet<>();
        for (long v : r.list()) {
            ElementWriters.Writer w = writers.writer(r.key(), v);
            if (w == null) {
                if (reported.add(v)) {
                    add(AnomalyType.GARBAGE_READ, List.of(r.txn()), "read of " + r.key() + " returned "
                            + HistoryFormat.printList(r.list()) + " but no transaction appended " + v);
                }
            } else if (w.txn().outcome() == OpType.FAIL && reported.add(v)) {
                add(AnomalyType.G1A, List.of(r.txn(), w.txn()), "read of " + r.key() + " returned "
                        + HistoryFormat.printList(r.list()) + " including " + v + ", appended by failed " + w.txn().name());
            }
        }
        if (r.list().isEmpty()) {
            return;
        }
        long last = r.list().get(r.list().size() - 1);
        ElementWriters.Writer w = writers.writer(r.key(), last);
        if (w != null && w.txn().id() != r.txn().id() && w.txn().outcome() != OpType.FAIL && !w.finalAppendToKey()) {
            add(AnomalyType.G1B, List.of(r.txn(), w.txn()), "read of " + r.key() + " returned "
                    + HistoryFormat.printList(r.list()) + " ending with " + last + ", which " + w.txn().name()
                    + " followed with another append to " + r.key());
        }
    }

    private void orderVersions(String key, List<ObservedRead> reads) {
        List<ObservedRead> byLength = new ArrayList<>(reads);
        byLength.sort(Comparator.comparingInt((ObservedRead r) -> r.list().size()));
        for (int i = 1; i < byLength.size(); i++) {
            ObservedRead shorter = byLength.get(i - 1);
            ObservedRead longer = byLength.get(i);
            if (!longer.list().subList(0, shorter.list().size()).equals(shorter.list())) {
                add(AnomalyType.INCOMPATIBLE_ORDER, List.of(shorter.txn(), longer.txn()), "reads of " + key + " disagree: "
                        + HistoryFormat.printList(shorter.list()) + " is not a prefix of " + HistoryFormat.printList(longer.list()));
                return;
            }
        }
        if (!byLength.isEmpty()) {
            versionOrders.put(key, byLength.get(byLength.size() - 1).list());
        }
    }

    private void checkDirtyUpdates(String key, List<ObservedRead> reads) {
        Set<String> reported = new LinkedHashSet<>();
        for (ObservedRead r : reads) {
            Transaction failed = null;
            long failedValue = 0;
            for (long v : r.list()) {
                ElementWriters.Writer w = writers.writer(key, v);
                if (w == null) {
                    continue;
                }
                if (w.txn().outcome() == OpType.FAIL) {
                    failed = failed == null ? w.txn() : failed;
                    failedValue = failed == w.txn() ? v : failedValue;
                } else if (failed != null && reported.add(failed.id() + "/" + w.txn().id())) {
                    add(AnomalyType.DIRTY_UPDATE, List.of(failed, w.txn()), "on " + key + ", " + w.txn().name()
                            + " appended " + v + " after " + failedValue + " of failed " + failed.name()
                            + " (seen by " + r.txn().name() + ": " + HistoryFormat.printList(r.list()) + ")");
                    break;
                }
            }
        }
    }

    private void add(AnomalyType type, List<Transaction> txns, String explanation) {
        anomalies.add(new Anomaly(type, txns, List.of(), explanation));
    }
}
