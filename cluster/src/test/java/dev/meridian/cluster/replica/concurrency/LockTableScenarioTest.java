package dev.meridian.cluster.replica.concurrency;

import dev.meridian.storage.mvcc.Timestamp;
import dev.meridian.testkit.Directive;
import dev.meridian.testkit.ScenarioHandler;
import dev.meridian.testkit.Scenarios;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Scenario files under {@code src/test/resources/locktable}: transactions, requests that scan
 * the table, locks taken and released, pushes and deadlocks, with the table dumped as it goes.
 *
 * <pre>
 * txn name=A ts=10 [prio=1]                 a transaction (ids are fixed per name)
 * scan r=1 [t=A] [ts=10] [write=(a,b)] [read=(c)] [read-span=(c,f)] [lock-span=(c,f)]
 * acquire t=A k=a [unreplicated]
 * discover r=2 k=a holder=A                 evaluation of r2 met A's intent at a
 * release t=A k=a | release-all t=A | pushed t=A ts=30 | done r=1
 * dump | deadlock | push want=lock|read pusher=B holder=A [expired]
 * </pre>
 */
class LockTableScenarioTest {

    @TestFactory
    Stream<DynamicTest> scenarios() {
        return Scenarios.run(Path.of("src/test/resources/locktable"), Handler::new);
    }

    private static final class Handler implements ScenarioHandler {
        private final LockTable table = new LockTable();
        private final Map<String, TxnRef> txns = new TreeMap<>();
        private final Map<UUID, String> names = new TreeMap<>();

        @Override
        public String run(Directive d) {
            return switch (d.command()) {
                case "txn" -> {
                    String name = d.arg("name");
                    UUID id = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
                    TxnRef t = new TxnRef(id, ts(d.arg("ts")), (int) d.longArg("prio", 1));
                    txns.put(name, t);
                    names.put(id, name);
                    yield name + ": ts=" + t.writeTimestamp() + " prio=" + t.priority();
                }
                case "scan" -> {
                    LockTable.ScanOutcome o = table.scan(request(d));
                    yield outcome(o) + "\n" + dump();
                }
                case "acquire" -> {
                    try {
                        table.acquire(txn(d, "t"), key(d.arg("k")),
                                d.has("unreplicated") ? LockTable.Durability.UNREPLICATED : LockTable.Durability.REPLICATED);
                        yield dump();
                    } catch (IllegalStateException e) {
                        yield "error: " + named(e.getMessage());
                    }
                }
                case "discover" -> {
                    try {
                        LockTable.ScanOutcome o = table.addDiscovered(request(d), key(d.arg("k")), txn(d, "holder"));
                        yield outcome(o) + "\n" + dump();
                    } catch (IllegalStateException e) {
                        yield "error: " + named(e.getMessage()) + "\n" + dump();
                    }
                }
                case "release" -> woken(table.release(txn(d, "t").id(), key(d.arg("k"))));
                case "release-all" -> woken(table.releaseAll(txn(d, "t").id()));
                case "pushed" -> {
                    TxnRef t = txn(d, "t");
                    Timestamp to = ts(d.arg("ts"));
                    txns.put(d.arg("t"), new TxnRef(t.id(), to, t.priority()));
                    yield woken(table.pushed(t.id(), to));
                }
                case "done" -> {
                    table.done(d.longArg("r"));
                    yield dump();
                }
                case "dump" -> dump();
                case "deadlock" -> {
                    Optional<List<TxnRef>> cycle = table.waitsFor().findCycle();
                    yield cycle.map(c -> "cycle " + c.stream().map(t -> names.get(t.id())).collect(Collectors.joining(" -> "))
                            + "; abort " + names.get(PushPolicy.deadlockVictim(c).id())).orElse("no deadlock");
                }
                case "push" -> {
                    PushPolicy.Want want = switch (d.arg("want")) {
                        case "lock" -> PushPolicy.Want.LOCK;
                        case "read" -> PushPolicy.Want.TIMESTAMP_ABOVE_READ;
                        default -> throw d.error("want=lock or want=read");
                    };
                    yield PushPolicy.decide(want, txn(d, "pusher").priority(), txn(d, "holder").priority(), d.has("expired"))
                            .name().toLowerCase();
                }
                default -> throw d.error("unknown command");
            };
        }

        private LockRequest request(Directive d) {
            TxnRef t = d.has("t") ? txn(d, "t") : null;
            Timestamp readTs = d.has("ts") ? ts(d.arg("ts")) : t != null ? t.writeTimestamp() : Timestamp.ofWall(1);
            List<LockSpan> spans = new ArrayList<>();
            if (d.has("write")) {
                d.values("write").forEach(k -> spans.add(LockSpan.point(key(k), true)));
            }
            if (d.has("read")) {
                d.values("read").forEach(k -> spans.add(LockSpan.point(key(k), false)));
            }
            if (d.has("read-span")) {
                List<String> v = d.values("read-span");
                spans.add(new LockSpan(key(v.get(0)), key(v.get(1)), false));
            }
            if (d.has("lock-span")) {
                List<String> v = d.values("lock-span");
                spans.add(new LockSpan(key(v.get(0)), key(v.get(1)), true));
            }
            return new LockRequest(d.longArg("r"), t, readTs, spans);
        }

        private TxnRef txn(Directive d, String arg) {
            TxnRef t = txns.get(d.arg(arg));
            if (t == null) {
                throw d.error("unknown transaction " + d.arg(arg));
            }
            return t;
        }

        private static Timestamp ts(String s) {
            return Timestamp.ofWall(Long.parseLong(s));
        }

        private static byte[] key(String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }

        private String outcome(LockTable.ScanOutcome o) {
            return switch (o) {
                case LockTable.ScanOutcome.Proceed p -> "proceed";
                case LockTable.ScanOutcome.Wait w -> "wait on " + new String(w.key(), StandardCharsets.UTF_8)
                        + " held by " + names.get(w.holder().id());
            };
        }

        private String woken(List<Long> ids) {
            return (ids.isEmpty() ? "woken: none" : "woken: " + ids.stream().map(i -> "r" + i).collect(Collectors.joining(",")))
                    + "\n" + dump();
        }

        private String dump() {
            return named(table.dump());
        }

        private String named(String s) {
            for (Map.Entry<UUID, String> e : names.entrySet()) {
                s = s.replace(e.getKey().toString(), e.getValue());
            }
            return s;
        }
    }
}
