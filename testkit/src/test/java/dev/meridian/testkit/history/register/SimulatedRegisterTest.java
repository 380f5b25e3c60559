package dev.meridian.testkit.history.register;

import dev.meridian.testkit.history.History;
import dev.meridian.testkit.history.HistoryRecorder;
import dev.meridian.testkit.history.Op;
import dev.meridian.testkit.history.OpType;
import dev.meridian.testkit.history.Payload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Histories from an in-memory linearizable register store driven by a seeded interleaving:
 * each operation takes effect atomically at a random step between its invocation and its
 * completion, so the checker must find that order among many concurrent ones.
 */
class SimulatedRegisterTest {

    /** One client: idle, invoked (not yet applied), or applied (result known, completion pending). */
    private static final class Client {
        int process;
        Payload asked;
        Payload result; // null until applied
        boolean happened;
    }

    static History simulate(long seed, int processes, int operations, int keys) {
        Random random = new Random(seed);
        long[] now = {0};
        HistoryRecorder recorder = new HistoryRecorder(() -> ++now[0]);
        Map<String, Long> store = new TreeMap<>();
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            Client c = new Client();
            c.process = recorder.newProcess();
            clients.add(c);
        }
        long nextValue = 1;
        int invoked = 0;
        while (invoked < operations || clients.stream().anyMatch(c -> c.asked != null)) {
            Client c = clients.get(random.nextInt(processes));
            if (c.asked == null) {
                if (invoked == operations) {
                    continue;
                }
                String key = "k" + random.nextInt(keys);
                c.asked = switch (random.nextInt(3)) {
                    case 0 -> new Payload.Read(key, null);
                    case 1 -> new Payload.Write(key, nextValue++);
                    default -> new Payload.Cas(key, store.getOrDefault(key, 0L), nextValue++);
                };
                recorder.invoke(c.process, c.asked);
                invoked++;
            } else if (c.result == null) {
                apply(c, store);
            } else {
                complete(c, recorder, random);
            }
        }
        return recorder.history();
    }

    private static void apply(Client c, Map<String, Long> store) {
        switch (c.asked) {
            case Payload.Read r -> {
                c.result = new Payload.Read(r.key(), store.get(r.key()));
                c.happened = true;
            }
            case Payload.Write w -> {
                store.put(w.key(), w.value());
                c.result = w;
                c.happened = true;
            }
            case Payload.Cas cas -> {
                Long current = store.get(cas.key());
                c.happened = current != null && current == cas.expected();
                if (c.happened) {
                    store.put(cas.key(), cas.next());
                }
                c.result = cas;
            }
            default -> throw new IllegalStateException();
        }
    }

    private static void complete(Client c, HistoryRecorder recorder, Random random) {
        if (random.nextInt(50) == 0) {
            recorder.info(c.process, c.asked); // a timeout: the effect may or may not be visible
            c.process = recorder.newProcess();
        } else if (c.happened) {
            recorder.ok(c.process, c.result);
        } else {
            recorder.fail(c.process, c.asked);
        }
        c.asked = null;
        c.result = null;
    }

    @Test
    void simulatedLinearizableStoreIsValid() {
        for (long seed = 1; seed <= 5; seed++) {
            History h = simulate(seed, 10, 2000, 3);
            RegisterResult r = RegisterChecker.check(h);
            assertThat(r.valid()).as("seed %d: %s", seed, r.report()).isTrue();
            assertThat(h.operations()).extracting(o -> o.outcome())
                    .contains(OpType.OK, OpType.FAIL, OpType.INFO);
        }
    }

    @Test
    void aReadOfAValueNobodyWroteIsCaught() {
        History h = simulate(7, 10, 2000, 3);
        List<Op> ops = new ArrayList<>(h.ops());
        int victim = -1;
        for (int i = ops.size() / 2; i < ops.size(); i++) {
            if (ops.get(i).type() == OpType.OK && ops.get(i).payload() instanceof Payload.Read r) {
                victim = i;
                ops.set(i, new Op(i, OpType.OK, ops.get(i).process(), ops.get(i).time(), new Payload.Read(r.key(), -1L)));
                break;
            }
        }
        RegisterResult r = RegisterChecker.check(new History(ops));
        assertThat(r.valid()).isFalse();
        assertThat(r.failures()).hasSize(1);
        assertThat(r.failures().get(0).witness().operation().completion().index()).isEqualTo(victim);
    }

    @Test
    void aStaleReadIsCaught() {
        // Replace a late read's value with the first value ever written to its key, long overwritten.
        History h = simulate(11, 5, 1000, 2);
        Map<String, Long> first = new TreeMap<>();
        for (Op op : h.ops()) {
            if (op.type() == OpType.OK && op.payload() instanceof Payload.Write w) {
                first.putIfAbsent(w.key(), w.value());
            }
        }
        List<Op> ops = new ArrayList<>(h.ops());
        for (int i = ops.size() - 1; i >= 0; i--) {
            if (ops.get(i).type() == OpType.OK && ops.get(i).payload() instanceof Payload.Read r && r.value() != null
                    && !r.value().equals(first.get(r.key()))) {
                ops.set(i, new Op(i, OpType.OK, ops.get(i).process(), ops.get(i).time(),
                        new Payload.Read(r.key(), first.get(r.key()))));
                break;
            }
        }
        assertThat(RegisterChecker.check(new History(ops)).valid()).isFalse();
    }

    @Test
    void sameHistoryGivesTheSameReport() {
        History h = simulate(7, 10, 500, 2);
        List<Op> ops = new ArrayList<>(h.ops());
        Op last = ops.get(ops.size() - 1);
        ops.add(new Op(ops.size(), OpType.INVOKE, 999, last.time() + 1, new Payload.Read("k0", null)));
        ops.add(new Op(ops.size(), OpType.OK, 999, last.time() + 2, new Payload.Read("k0", -5L)));
        History bad = new History(ops);
        assertThat(RegisterChecker.check(bad).report()).isEqualTo(RegisterChecker.check(bad).report());
    }
}
