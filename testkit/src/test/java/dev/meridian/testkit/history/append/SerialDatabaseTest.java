package dev.meridian.testkit.history.append;

import dev.meridian.testkit.history.History;
import dev.meridian.testkit.history.HistoryRecorder;
import dev.meridian.testkit.history.MicroOp;
import dev.meridian.testkit.history.Op;
import dev.meridian.testkit.history.OpType;
import dev.meridian.testkit.history.Operation;
import dev.meridian.testkit.history.Payload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tiny serial database (one lock, transactions applied whole) driven by random concurrent
 * clients: its histories must check valid under strict serializability; faults injected into
 * them must be caught with the right anomaly.
 */
class SerialDatabaseTest {

    static final int KEYS = 5;

    /** The database: lists by key, changed only under the lock. */
    static final class SerialDatabase {
        private final ReentrantLock lock = new ReentrantLock();
        private final Map<String, List<Long>> lists = new TreeMap<>();

        List<MicroOp> apply(List<MicroOp> txn) {
            lock.lock();
            try {
                List<MicroOp> observed = new ArrayList<>();
                for (MicroOp m : txn) {
                    List<Long> list = lists.computeIfAbsent(m.key(), k -> new ArrayList<>());
                    if (m instanceof MicroOp.Append a) {
                        list.add(a.value());
                        observed.add(a);
                    } else {
                        observed.add(new MicroOp.Read(m.key(), List.copyOf(list)));
                    }
                }
                return observed;
            } finally {
                lock.unlock();
            }
        }
    }

    static List<MicroOp> randomTxn(Random random, long[] nextValue) {
        List<MicroOp> ops = new ArrayList<>();
        int n = random.nextInt(5) == 0 ? 1 : 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            String key = "k" + random.nextInt(KEYS);
            ops.add(random.nextBoolean() ? new MicroOp.Append(key, nextValue[0]++) : MicroOp.Read.of(key));
        }
        return ops;
    }

    /** A client of the seeded simulation: idle, invoked, or applied and waiting to complete. */
    private static final class Client {
        int process;
        List<MicroOp> asked;
        List<MicroOp> observed;
    }

    /** Random interleaving, driven by one seed: each transaction applies at a random step between invoke and completion. */
    static History simulate(long seed, int clients, int txns) {
        Random random = new Random(seed);
        long[] now = {0};
        long[] nextValue = {1};
        HistoryRecorder recorder = new HistoryRecorder(() -> now[0] += 1 + random.nextInt(3));
        SerialDatabase db = new SerialDatabase();
        List<Client> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Client c = new Client();
            c.process = recorder.newProcess();
            all.add(c);
        }
        int invoked = 0;
        while (invoked < txns || all.stream().anyMatch(c -> c.asked != null)) {
            Client c = all.get(random.nextInt(clients));
            if (c.asked == null) {
                if (invoked < txns) {
                    c.asked = randomTxn(random, nextValue);
                    recorder.invoke(c.process, new Payload.Txn(c.asked));
                    invoked++;
                }
            } else if (c.observed == null && random.nextInt(40) == 0) {
                // Aborted before it applied; or a timeout whose transaction never ran.
                if (random.nextBoolean()) {
                    recorder.fail(c.process, new Payload.Txn(c.asked));
                } else {
                    retire(c, recorder);
                }
                c.asked = null;
            } else if (c.observed == null) {
                c.observed = db.apply(c.asked);
            } else {
                if (random.nextInt(40) == 0) {
                    retire(c, recorder); // applied, but the client timed out waiting
                } else {
                    recorder.ok(c.process, new Payload.Txn(c.observed));
                }
                c.asked = null;
                c.observed = null;
            }
        }
        return recorder.history();
    }

    private static void retire(Client c, HistoryRecorder recorder) {
        recorder.info(c.process, new Payload.Txn(c.asked));
        c.process = recorder.newProcess();
    }

    @Test
    void simulatedSerialDatabaseIsStrictSerializable() {
        for (long seed = 1; seed <= 5; seed++) {
            History h = simulate(seed, 6, 400);
            ListAppendResult r = ListAppendChecker.check(h, ConsistencyModel.STRICT_SERIALIZABLE);
            assertThat(r.anomalies()).as("seed %d\n%s", seed, r.report()).isEmpty();
            assertThat(r.valid()).isTrue();
            assertThat(h.operations()).extracting(Operation::outcome).contains(OpType.OK, OpType.FAIL, OpType.INFO);
        }
    }

    @Test
    void threadedSerialDatabaseIsStrictSerializable() throws InterruptedException {
        HistoryRecorder recorder = new HistoryRecorder(System::nanoTime);
        SerialDatabase db = new SerialDatabase();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int process = recorder.newProcess();
            long[] nextValue = {1 + t * 1_000_000L};
            Random random = new Random(t);
            threads.add(new Thread(() -> {
                for (int i = 0; i < 150; i++) {
                    List<MicroOp> txn = randomTxn(random, nextValue);
                    recorder.invoke(process, new Payload.Txn(txn));
                    recorder.ok(process, new Payload.Txn(db.apply(txn)));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        ListAppendResult r = ListAppendChecker.check(recorder.history(), ConsistencyModel.STRICT_SERIALIZABLE);
        assertThat(r.anomalies()).as(r.report()).isEmpty();
        assertThat(r.transactions()).isEqualTo(600);
    }

    @Test
    void checkingIsDeterministic() {
        History h = simulate(3, 6, 400);
        History broken = staleReadAfterCompletedAppend(h);
        String first = ListAppendChecker.check(broken, ConsistencyModel.STRICT_SERIALIZABLE).report();
        assertThat(ListAppendChecker.check(broken, ConsistencyModel.STRICT_SERIALIZABLE).report()).isEqualTo(first);
    }

    // ---- injected faults ----

    @Test
    void droppingAnElementFromALaterReadIsAnIncompatibleOrder() {
        for (long seed = 1; seed <= 3; seed++) {
            History broken = rewriteReadSeenByAnother(simulate(seed, 6, 400), list -> {
                List<Long> l = new ArrayList<>(list);
                l.remove(l.size() - 2);
                return l;
            });
            ListAppendResult r = ListAppendChecker.check(broken, ConsistencyModel.SERIALIZABLE);
            assertThat(r.valid()).isFalse();
            assertThat(r.names()).as(r.report()).contains("incompatible-order");
        }
    }

    @Test
    void swappingTwoElementsIsAnIncompatibleOrder() {
        for (long seed = 1; seed <= 3; seed++) {
            History broken = rewriteReadSeenByAnother(simulate(seed, 6, 400), list -> {
                List<Long> l = new ArrayList<>(list);
                l.set(l.size() - 2, list.get(l.size() - 1));
                l.set(l.size() - 1, list.get(l.size() - 2));
                return l;
            });
            ListAppendResult r = ListAppendChecker.check(broken, ConsistencyModel.SERIALIZABLE);
            assertThat(r.valid()).isFalse();
            assertThat(r.names()).as(r.report()).contains("incompatible-order");
        }
    }

    @Test
    void readingAnOlderPrefixAfterAnAppendCompletedIsARealtimeAnomaly() {
        for (long seed = 1; seed <= 3; seed++) {
            History broken = staleReadAfterCompletedAppend(simulate(seed, 6, 400));
            ListAppendResult serializable = ListAppendChecker.check(broken, ConsistencyModel.SERIALIZABLE);
            assertThat(serializable.valid()).as(serializable.report()).isTrue();
            ListAppendResult strict = ListAppendChecker.check(broken, ConsistencyModel.STRICT_SERIALIZABLE);
            assertThat(strict.valid()).isFalse();
            assertThat(strict.names()).as(strict.report()).contains("G-single-realtime")
                    .noneMatch(n -> !n.endsWith("-realtime"));
        }
    }

    /**
     * Rewrites the list of an ok read (length >= 2) of a key that another ok transaction read
     * at least as far, so the rewritten read must disagree with it.
     */
    static History rewriteReadSeenByAnother(History h, UnaryOperator<List<Long>> rewrite) {
        List<Operation> ok = h.operations().stream().filter(o -> o.outcome() == OpType.OK).toList();
        for (Operation target : ok) {
            for (MicroOp m : txn(target)) {
                if (m instanceof MicroOp.Read r && r.observed().size() >= 2
                        && readFurtherElsewhere(ok, target, r.key(), r.observed().size())) {
                    return replaceRead(h, target, r.key(), rewrite.apply(r.observed()));
                }
            }
        }
        throw new IllegalStateException("no suitable read in the simulated history");
    }

    private static boolean readFurtherElsewhere(List<Operation> ok, Operation target, String key, int length) {
        return ok.stream().filter(o -> o != target).flatMap(o -> txn(o).stream())
                .anyMatch(m -> m instanceof MicroOp.Read r && r.key().equals(key) && r.observed().size() >= length);
    }

    /**
     * Finds a read-only single-read transaction and cuts its list just before an element whose
     * (ok) appender completed before the reader was invoked: a stale read in real time.
     */
    static History staleReadAfterCompletedAppend(History h) {
        Map<String, Map<Long, Operation>> writers = new TreeMap<>();
        for (Operation o : h.operations()) {
            for (MicroOp m : txn(o)) {
                if (m instanceof MicroOp.Append a) {
                    writers.computeIfAbsent(a.key(), k -> new TreeMap<>()).put(a.value(), o);
                }
            }
        }
        for (Operation reader : h.operations()) {
            if (reader.outcome() != OpType.OK || txn(reader).size() != 1 || !(txn(reader).get(0) instanceof MicroOp.Read r)) {
                continue;
            }
            List<Long> list = r.observed();
            for (int j = list.size() - 1; j >= 0; j--) {
                Operation w = writers.get(r.key()).get(list.get(j));
                Operation before = j == 0 ? null : writers.get(r.key()).get(list.get(j - 1));
                if (w.outcome() == OpType.OK && w.completeIndex() < reader.invokeIndex() && before != w) {
                    return replaceRead(h, reader, r.key(), list.subList(0, j));
                }
            }
        }
        throw new IllegalStateException("no suitable read in the simulated history");
    }

    private static List<MicroOp> txn(Operation o) {
        return ((Payload.Txn) o.payload()).ops();
    }

    private static History replaceRead(History h, Operation target, String key, List<Long> newList) {
        List<MicroOp> ops = new ArrayList<>();
        for (MicroOp m : txn(target)) {
            ops.add(m instanceof MicroOp.Read r && r.key().equals(key) ? new MicroOp.Read(key, newList) : m);
        }
        List<Op> events = new ArrayList<>(h.ops());
        Op c = target.completion();
        events.set(c.index(), new Op(c.index(), c.type(), c.process(), c.time(), new Payload.Txn(ops)));
        return new History(events);
    }
}
