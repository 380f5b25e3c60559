package dev.meridian.testkit.history.append;

import dev.meridian.testkit.history.HistoryFormat;
import dev.meridian.testkit.history.MicroOp;
import dev.meridian.testkit.history.OpType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
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
        readsByKey.forEach(this::orderVersions);
        readsByKey.forEach(this::checkKey);
    }

    /**
     * Reads of a key with a version order are prefixes of it, so each element is judged once on
     * the version order and each read inherits the verdicts within its length; a key whose reads
     * disagree is checked read by read. This keeps the work linear in the longest list rather
     * than in the sum of every read's length.
     */
    private void checkKey(String key, List<ObservedRead> reads) {
        List<Long> order = versionOrders.get(key);
        if (order == null) {
            for (ObservedRead r : reads) {
                checkRead(r, firstDuplicatePosition(r.list()), writerProblems(key, r.list()));
                checkDirtyUpdate(key, r, reads);
            }
            return;
        }
        int firstDuplicate = firstDuplicatePosition(order);
        List<Integer> badPositions = writerProblems(key, order);
        for (ObservedRead r : reads) {
            checkRead(r, firstDuplicate, badPositions);
        }
        checkDirtyUpdate(key, new ObservedRead(null, key, order), reads);
    }

    /** Duplicates, aborted and garbage elements (given as positions in a list this read is a prefix of) and G1b. */
    private void checkRead(ObservedRead r, int firstDuplicate, List<Integer> badPositions) {
        if (firstDuplicate < r.list().size()) {
            reportDuplicates(r);
        }
        reportWriterProblems(r, badPositions);
        checkIntermediate(r);
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
                add(AnomalyType.INTERNAL, List.of(t), "read of " + k + " returned " + brief(seen)
                        + " but the transaction's own reads and appends imply " + brief(expected));
            } else if (expected == null && !endsWith(seen, suffix)) {
                add(AnomalyType.INTERNAL, List.of(t), "read of " + k + " returned " + brief(seen)
                        + " which does not end with the transaction's own appends " + brief(suffix));
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

    /** Position of the first element that already occurred earlier in the list, or MAX_VALUE. */
    private static int firstDuplicatePosition(List<Long> list) {
        Set<Long> seen = new HashSet<>(); // membership only
        for (int i = 0; i < list.size(); i++) {
            if (!seen.add(list.get(i))) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private void reportDuplicates(ObservedRead r) {
        Set<Long> seen = new TreeSet<>();
        Set<Long> twice = new TreeSet<>();
        for (long v : r.list()) {
            if (!seen.add(v)) {
                twice.add(v);
            }
        }
        add(AnomalyType.DUPLICATES, List.of(r.txn()), "read of " + r.key() + " returned "
                + brief(r.list()) + " with " + twice + " more than once");
    }

    /** Positions of elements nobody appended or a failed transaction appended (first occurrence each). */
    private List<Integer> writerProblems(String key, List<Long> list) {
        List<Integer> bad = new ArrayList<>();
        Set<Long> reported = new HashSet<>(); // membership only
        for (int i = 0; i < list.size(); i++) {
            ElementWriters.Writer w = writers.writer(key, list.get(i));
            if ((w == null || w.txn().outcome() == OpType.FAIL) && reported.add(list.get(i))) {
                bad.add(i);
            }
        }
        return bad;
    }

    private void reportWriterProblems(ObservedRead r, List<Integer> badPositions) {
        for (int i : badPositions) {
            if (i >= r.list().size()) {
                break;
            }
            long v = r.list().get(i);
            ElementWriters.Writer w = writers.writer(r.key(), v);
            if (w == null) {
                add(AnomalyType.GARBAGE_READ, List.of(r.txn()), "read of " + r.key() + " returned "
                        + brief(r.list()) + " but no transaction appended " + v);
            } else {
                add(AnomalyType.G1A, List.of(r.txn(), w.txn()), "read of " + r.key() + " returned "
                        + brief(r.list()) + " including " + v + ", appended by failed " + w.txn().name());
            }
        }
    }

    private void checkIntermediate(ObservedRead r) {
        if (r.list().isEmpty()) {
            return;
        }
        long last = r.list().get(r.list().size() - 1);
        ElementWriters.Writer w = writers.writer(r.key(), last);
        if (w != null && w.txn().id() != r.txn().id() && w.txn().outcome() != OpType.FAIL && !w.finalAppendToKey()) {
            add(AnomalyType.G1B, List.of(r.txn(), w.txn()), "read of " + r.key() + " returned "
                    + brief(r.list()) + " ending with " + last + ", which " + w.txn().name()
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
                        + brief(shorter.list()) + " is not a prefix of " + brief(longer.list()));
                return;
            }
        }
        if (!byLength.isEmpty()) {
            versionOrders.put(key, byLength.get(byLength.size() - 1).list());
        }
    }

    /**
     * A committed element after a failed one in {@code scanned} (the version order, or one read
     * when the key has none); reported once per (failed, committed) pair, naming the first read
     * that shows both.
     */
    private void checkDirtyUpdate(String key, ObservedRead scanned, List<ObservedRead> reads) {
        Transaction failed = null;
        long failedValue = 0;
        Set<String> reported = new TreeSet<>();
        List<Long> list = scanned.list();
        for (int i = 0; i < list.size(); i++) {
            ElementWriters.Writer w = writers.writer(key, list.get(i));
            if (w == null) {
                continue;
            }
            if (w.txn().outcome() == OpType.FAIL) {
                if (failed == null) {
                    failed = w.txn();
                    failedValue = list.get(i);
                }
            } else if (failed != null && reported.add(failed.id() + "/" + w.txn().id())) {
                int shownUpTo = i;
                ObservedRead seenBy = scanned.txn() != null ? scanned
                        : reads.stream().filter(r -> r.list().size() > shownUpTo).findFirst().orElseThrow();
                add(AnomalyType.DIRTY_UPDATE, List.of(failed, w.txn()), "on " + key + ", " + w.txn().name()
                        + " appended " + list.get(i) + " after " + failedValue + " of failed " + failed.name()
                        + " (seen by " + seenBy.txn().name() + ": " + brief(seenBy.list()) + ")");
                return;
            }
        }
    }

    /** A list for a report: whole when short, else its ends and its length. */
    static String brief(List<Long> list) {
        if (list.size() <= 12) {
            return HistoryFormat.printList(list);
        }
        return HistoryFormat.printList(list.subList(0, 4)).replace("]", ",...,")
                + HistoryFormat.printList(list.subList(list.size() - 4, list.size())).substring(1)
                + " (" + list.size() + " elements)";
    }

    private void add(AnomalyType type, List<Transaction> txns, String explanation) {
        anomalies.add(new Anomaly(type, txns, List.of(), explanation));
    }
}
