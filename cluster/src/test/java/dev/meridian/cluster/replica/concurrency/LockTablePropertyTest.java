package dev.meridian.cluster.replica.concurrency;

import dev.meridian.storage.mvcc.Timestamp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Random operations on a {@link LockTable} against a plain model of who holds which key. After
 * every step: a scan proceeds exactly when the model shows no conflicting lock in its keys;
 * every request still waiting waits on a lock that still blocks it (no lost wake-up); and a
 * request woken is one whose lock was released or moved above its read.
 */
class LockTablePropertyTest {

    private static final List<String> KEYS = List.of("a", "b", "c", "d");
    private static final int TXNS = 3;

    /** One step: an operation code and small numbers to pick its arguments. */
    record Step(int op, int txn, int key, int key2, int ts, boolean flag) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.integers().between(0, TXNS),
                Arbitraries.integers().between(0, KEYS.size() - 1), Arbitraries.integers().between(0, KEYS.size() - 1),
                Arbitraries.integers().between(1, 6), Arbitraries.of(true, false)).as(Step::new).list().ofMaxSize(60);
    }

    private record Held(UUID txn, LockTable.Durability durability, Timestamp ts) {
    }

    private record Waiting(LockRequest req, String key, boolean locking) {
    }

    @Property(tries = 300)
    void theTableAgreesWithTheModelAndLosesNoWakeUp(@ForAll("steps") List<Step> steps) {
        LockTable table = new LockTable();
        UUID[] ids = new UUID[TXNS];
        Timestamp[] writeTs = new Timestamp[TXNS];
        for (int i = 0; i < TXNS; i++) {
            ids[i] = new UUID(0, i + 1);
            writeTs[i] = Timestamp.ofWall(10L * (i + 1));
        }
        Map<String, Held> model = new TreeMap<>();
        Map<Long, Waiting> waiting = new TreeMap<>();
        long nextRequest = 1;
        for (Step s : steps) {
            // txn index TXNS means "no transaction".
            TxnRef txn = s.txn() < TXNS ? new TxnRef(ids[s.txn()], writeTs[s.txn()], 1) : null;
            String key = KEYS.get(s.key());
            switch (s.op()) {
                case 0, 1 -> { // scan: a point write (op 0) or a read span (op 1)
                    long id = nextRequest++;
                    boolean locking = s.op() == 0;
                    String end = KEYS.get(Math.max(s.key(), s.key2()));
                    LockSpan span = locking ? LockSpan.point(bytes(key), true)
                            : new LockSpan(bytes(key), bytes(end + "\0"), false);
                    Timestamp readTs = Timestamp.ofWall(5L * s.ts());
                    LockRequest req = new LockRequest(id, txn, readTs, List.of(span));
                    String blocking = firstBlocking(model, span, txn, readTs, locking);
                    LockTable.ScanOutcome o = table.scan(req);
                    if (blocking == null) {
                        assertThat(o).isInstanceOf(LockTable.ScanOutcome.Proceed.class);
                        table.done(id);
                    } else {
                        assertThat(o).isInstanceOfSatisfying(LockTable.ScanOutcome.Wait.class,
                                w -> assertThat(new String(w.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(blocking));
                        waiting.put(id, new Waiting(req, blocking, locking));
                    }
                }
                case 2 -> { // acquire
                    if (txn == null) {
                        continue;
                    }
                    LockTable.Durability dur = s.flag() ? LockTable.Durability.REPLICATED : LockTable.Durability.UNREPLICATED;
                    Held h = model.get(key);
                    if (h != null && !h.txn().equals(txn.id())) {
                        assertThatThrownBy(() -> table.acquire(txn, bytes(key), dur)).isInstanceOf(IllegalStateException.class);
                    } else {
                        table.acquire(txn, bytes(key), dur);
                        LockTable.Durability merged = h != null && h.durability() == LockTable.Durability.REPLICATED
                                ? LockTable.Durability.REPLICATED : dur;
                        Timestamp ts = h != null && txn.writeTimestamp().less(h.ts()) ? h.ts() : txn.writeTimestamp();
                        model.put(key, new Held(txn.id(), merged, ts));
                    }
                }
                case 3 -> { // release one key
                    if (txn == null) {
                        continue;
                    }
                    List<Long> woken = table.release(txn.id(), bytes(key));
                    Held h = model.get(key);
                    if (h != null && h.txn().equals(txn.id())) {
                        model.remove(key);
                        assertThat(woken).containsExactlyInAnyOrderElementsOf(waitersOn(waiting, key));
                    } else {
                        assertThat(woken).isEmpty();
                    }
                    woken.forEach(waiting::remove);
                }
                case 4 -> { // release all of a transaction
                    if (txn == null) {
                        continue;
                    }
                    List<Long> expected = new ArrayList<>();
                    model.entrySet().removeIf(e -> {
                        if (e.getValue().txn().equals(txn.id())) {
                            expected.addAll(waitersOn(waiting, e.getKey()));
                            return true;
                        }
                        return false;
                    });
                    List<Long> woken = table.releaseAll(txn.id());
                    assertThat(woken).containsExactlyInAnyOrderElementsOf(expected);
                    woken.forEach(waiting::remove);
                }
                case 5 -> { // push a transaction's timestamp
                    if (txn == null) {
                        continue;
                    }
                    Timestamp to = Timestamp.ofWall(10L * s.ts());
                    model.replaceAll((k, h) -> h.txn().equals(txn.id()) && h.ts().less(to) ? new Held(h.txn(), h.durability(), to) : h);
                    List<Long> woken = table.pushed(txn.id(), to);
                    for (long w : woken) {
                        Waiting wt = waiting.remove(w);
                        assertThat(wt).as("r%d was waiting", w).isNotNull();
                        assertThat(blocks(model.get(wt.key()), wt.req().txn(), wt.req().readTimestamp(), wt.locking()))
                                .as("r%d woken only when no longer blocked", w).isFalse();
                    }
                }
                default -> { // a waiting request gives up
                    if (!waiting.isEmpty()) {
                        long id = waiting.keySet().stream().skip(s.key() % waiting.size()).findFirst().orElseThrow();
                        table.done(id);
                        waiting.remove(id);
                    }
                }
            }
            for (Map.Entry<Long, Waiting> e : waiting.entrySet()) {
                Waiting w = e.getValue();
                assertThat(blocks(model.get(w.key()), w.req().txn(), w.req().readTimestamp(), w.locking()))
                        .as("r%d waits on %s, which must still block it (else a wake-up was lost) after %s", e.getKey(), w.key(), s)
                        .isTrue();
            }
        }
    }

    private static String firstBlocking(Map<String, Held> model, LockSpan span, TxnRef txn, Timestamp readTs, boolean locking) {
        for (Map.Entry<String, Held> e : model.entrySet()) {
            if (span.contains(bytes(e.getKey())) && blocks(e.getValue(), txn, readTs, locking)) {
                return e.getKey();
            }
        }
        return null;
    }

    private static List<Long> waitersOn(Map<Long, Waiting> waiting, String key) {
        return waiting.entrySet().stream().filter(e -> e.getValue().key().equals(key)).map(Map.Entry::getKey).toList();
    }

    private static boolean blocks(Held h, TxnRef txn, Timestamp readTs, boolean locking) {
        if (h == null || (txn != null && h.txn().equals(txn.id()))) {
            return false;
        }
        return locking || (h.durability() == LockTable.Durability.REPLICATED && h.ts().lessEq(readTs));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
