/**
 * Elle-style list-append checking (TESTING.md, "Checkers", list-append, steps 1–6).
 *
 * <p>Transactions append unique values to lists and read whole lists. Because every list is a
 * record of the order its appends were applied, reads reveal the version order of each key and
 * the writer of each element, so dependencies between transactions can be inferred rather than
 * guessed: ww (consecutive elements), wr (writer of the last element read → reader), rw (reader
 * of a prefix → writer of the next element), plus realtime and process order when asked.
 *
 * <p>Proves, when valid under a model: no anomaly the model forbids was found among internal,
 * duplicates, incompatible-order, garbage-read, G1a, G1b, dirty-update and the cycle classes
 * G0, G1c, G-single, G-nonadjacent and G2-item (with {@code -realtime} / {@code -process}
 * variants for cycles that need those edges). Does not prove the absence of anomalies that no
 * read revealed: elements nobody read have no place in the version order and give no edges,
 * and a key whose reads disagree (incompatible-order) gives no edges. Cycle search finds a
 * shortest cycle per class and strongly connected component from at most 32
 * candidate first edges ({@code CycleFinder.MAX_STARTS}); it never
 * enumerates all cycles.
 *
 * <p>Invariants relied on: values are unique per key (checked: a duplicate append is rejected as
 * bad input); transaction ids are operation ordinals, so {@code T3} in a report is the fourth
 * invocation in the history file.
 *
 * <p>HAZARD: the realtime edges are a transitive reduction (see
 * {@code DependencyGraph.addRealtime}); a cycle reported through them may list a chain of
 * realtime edges where one "happened before" would do. That is a presentation matter only.
 */
package dev.meridian.testkit.history.append;
