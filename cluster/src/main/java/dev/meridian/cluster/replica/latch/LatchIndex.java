package dev.meridian.cluster.replica.latch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The spans of every request that holds or waits for latches, indexed for conflict search. Not
 * thread-safe: the manager guards it with its lock.
 *
 * <p>Point spans (the common case: single-key reads and writes) sit in a sorted map by key, so a
 * point finds its conflicts in O(log n) and a range finds the points inside it by a sub-map scan.
 * Range spans sit in a sorted map by start key; a search visits every range that starts before
 * the searched span ends, which is linear in the number of such ranges. Ranges are rare (scans,
 * range deletes), so this keeps the code simple; an interval tree would bound it if they are not.
 */
final class LatchIndex {

    /** One span of one request. */
    record Held(LatchSpan span, LatchRequest request) {
    }

    private final NavigableMap<byte[], List<Held>> points = new TreeMap<>(Arrays::compareUnsigned);
    private final NavigableMap<byte[], List<Held>> ranges = new TreeMap<>(Arrays::compareUnsigned);

    void add(LatchRequest request) {
        for (LatchSpan s : request.spans()) {
            (s.isPoint() ? points : ranges).computeIfAbsent(s.startKey(), k -> new ArrayList<>(1))
                    .add(new Held(s, request));
        }
    }

    void remove(LatchRequest request) {
        for (LatchSpan s : request.spans()) {
            NavigableMap<byte[], List<Held>> map = s.isPoint() ? points : ranges;
            List<Held> list = map.get(s.startKey());
            if (list != null) {
                list.removeIf(h -> h.request() == request);
                if (list.isEmpty()) {
                    map.remove(s.startKey());
                }
            }
        }
    }

    /** Calls {@code visit} for every indexed span that overlaps {@code span} (conflicting or not). */
    void forEachOverlapping(LatchSpan span, Consumer<Held> visit) {
        if (span.isPoint()) {
            visitAll(points.get(span.startKey()), span, visit);
            visitRanges(ranges.headMap(span.startKey(), true), span, visit);
        } else {
            for (List<Held> list : points.subMap(span.startKey(), true, span.endKey(), false).values()) {
                visitAll(list, span, visit);
            }
            visitRanges(ranges.headMap(span.endKey(), false), span, visit);
        }
    }

    private static void visitRanges(Map<byte[], List<Held>> candidates, LatchSpan span, Consumer<Held> visit) {
        for (List<Held> list : candidates.values()) {
            visitAll(list, span, visit);
        }
    }

    private static void visitAll(List<Held> list, LatchSpan span, Consumer<Held> visit) {
        if (list == null) {
            return;
        }
        for (Held h : list) {
            if (h.span().overlaps(span)) {
                visit.accept(h);
            }
        }
    }

    /** Whether nothing is indexed. */
    boolean isEmpty() {
        return points.isEmpty() && ranges.isEmpty();
    }
}
