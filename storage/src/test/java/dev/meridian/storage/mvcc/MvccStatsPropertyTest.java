package dev.meridian.storage.mvcc;

import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.memory.InMemoryEngine;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Example;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random sequences of every kind of MVCC write (committed and transactional writes, deletes,
 * delete-range, conditional puts, increments, resolution, GC), some of them several to one
 * batch: the stats kept incrementally must equal stats recomputed from scratch after every
 * batch, no operation may leave the store unreadable, and every non-OK outcome writes nothing.
 */
class MvccStatsPropertyTest {

    private static final byte[][] KEYS = {{'a'}, {'a', 0}, {'b'}, {'c'}, {}};
    private static final int TXNS = 3;

    enum Kind { PUT, DELETE, TXN_PUT, TXN_DELETE, DELETE_RANGE, CPUT, INCREMENT, COMMIT, ABORT, PUSH, RESTART,
        RESOLVE_RANGE, GC, SAVEPOINT_ROLLBACK }

    /** One step: kind, key, transaction, timestamp, a small number used as value or delta. */
    record Step(Kind kind, int key, int txn, long wall, int n, boolean sameBatch) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, KEYS.length - 1),
                        Arbitraries.integers().between(0, TXNS - 1), Arbitraries.longs().between(1, 40),
                        Arbitraries.integers().between(0, 3), Arbitraries.of(true, false))
                .as(Step::new).list().ofMinSize(1).ofMaxSize(60);
    }

    /** A transaction as the test drives it. */
    private static final class Txn {
        final UUID id;
        int epoch;
        int seq;
        Timestamp ts;
        List<SeqRange> ignored = new ArrayList<>();

        Txn(int i) {
            id = new UUID(7, i);
            ts = Timestamp.ofWall(10L * (i + 1));
        }

        TxnMeta meta() {
            return new TxnMeta(id, epoch, ts, ts, seq, 0, IsolationLevel.SERIALIZABLE);
        }
    }

    /**
     * Found by this property (seed -770877163978970287): a range resolution that commits below
     * a pushed intent must be refused before it resolves any key, so the dropped batch's stats
     * delta stays untouched.
     */
    @Example
    void aRefusedRangeCommitResolvesNothing() {
        incrementalStatsEqualRecomputedStats(List.of(
                new Step(Kind.TXN_PUT, 0, 1, 1, 0, true),
                new Step(Kind.TXN_PUT, 3, 1, 1, 0, true),
                new Step(Kind.PUSH, 3, 1, 21, 0, true),
                new Step(Kind.RESOLVE_RANGE, 0, 1, 1, 0, true)));
    }

    @Property(tries = 200)
    void incrementalStatsEqualRecomputedStats(@ForAll("steps") List<Step> steps) {
        try (Engine engine = new InMemoryEngine()) {
            List<Txn> txns = new ArrayList<>();
            for (int i = 0; i < TXNS; i++) {
                txns.add(new Txn(i));
            }
            MvccStats stats = new MvccStats();
            int i = 0;
            while (i < steps.size()) {
                try (ReadWriteBatch b = engine.newReadWriteBatch()) {
                    MvccStats delta = new MvccStats();
                    boolean refused = false;
                    do {
                        refused |= !run(b, delta, steps.get(i), txns);
                        i++;
                    } while (!refused && i < steps.size() && steps.get(i).sameBatch());
                    if (!refused) {
                        engine.write(b, Durability.SYNCED);
                        stats.add(delta);
                    }
                }
                assertThat(Mvcc.computeStats(engine, new byte[0], null)).isEqualTo(stats);
            }
            // Everything stays readable at every timestamp.
            for (byte[] k : KEYS) {
                for (long t = 0; t <= 45; t += 5) {
                    Mvcc.get(engine, k, ReadOptions.at(Timestamp.ofWall(t)));
                }
            }
            assertThat(Mvcc.scan(engine, new byte[0], null, ReadOptions.at(Timestamp.ofWall(5)), ScanLimits.NONE).status())
                    .isNotNull();
        }
    }

    /** Runs one step; false if it threw (a bad request such as a stale epoch), so the batch is dropped. */
    private static boolean run(ReadWriteBatch b, MvccStats delta, Step s, List<Txn> txns) {
        byte[] key = KEYS[s.key()];
        Txn t = txns.get(s.txn());
        Timestamp ts = Timestamp.ofWall(s.wall());
        byte[] value = ByteBuffer.allocate(8).putLong(s.n()).array();
        MvccStats before = delta.copy();
        int opsBefore = b.count();
        try {
            Object result = switch (s.kind()) {
                case PUT -> Mvcc.put(b, delta, key, value, WriteOptions.at(ts));
                case DELETE -> Mvcc.delete(b, delta, key, WriteOptions.at(ts));
                case TXN_PUT -> Mvcc.put(b, delta, key, value, WriteOptions.txn(next(t).meta(), t.ignored));
                case TXN_DELETE -> Mvcc.delete(b, delta, key, WriteOptions.txn(next(t).meta(), t.ignored));
                case DELETE_RANGE -> Mvcc.deleteRange(b, delta, key, null,
                        s.n() == 0 ? WriteOptions.txn(next(t).meta(), t.ignored) : WriteOptions.at(ts));
                case CPUT -> Mvcc.conditionalPut(b, delta, key, value, s.n() == 0 ? null : value, WriteOptions.at(ts));
                case INCREMENT -> Mvcc.increment(b, delta, key, s.n(),
                        s.n() == 0 ? WriteOptions.txn(next(t).meta(), t.ignored) : WriteOptions.at(ts));
                case COMMIT -> Mvcc.resolveIntent(b, delta, key, update(t, TxnStatus.COMMITTED, t.ts.forward(ts)));
                case ABORT -> Mvcc.resolveIntent(b, delta, key, update(t, TxnStatus.ABORTED, ts));
                case PUSH -> Mvcc.resolveIntent(b, delta, key, update(t, TxnStatus.PENDING, ts));
                case RESOLVE_RANGE -> Mvcc.resolveIntentRange(b, delta, new byte[0], null,
                        update(t, s.n() < 2 ? TxnStatus.COMMITTED : TxnStatus.ABORTED, t.ts), s.n());
                case GC -> Mvcc.garbageCollectRange(b, delta, new byte[0], null, ts);
                case RESTART -> restart(t, ts);
                case SAVEPOINT_ROLLBACK -> t.ignored.add(new SeqRange(Math.max(0, t.seq - s.n()), t.seq));
            };
            if (result instanceof WriteResult w && !w.ok()) {
                assertThat(delta).isEqualTo(before);
                assertThat(b.count()).isEqualTo(opsBefore);
            }
            if (result instanceof ResolveOutcome r && !r.changed()) {
                assertThat(delta).isEqualTo(before);
            }
            return true;
        } catch (IllegalStateException | IllegalArgumentException | ArithmeticException e) {
            assertThat(delta).isEqualTo(before);
            return false;
        }
    }

    private static Txn next(Txn t) {
        t.seq++;
        return t;
    }

    private static Object restart(Txn t, Timestamp ts) {
        t.epoch++;
        t.seq = 0;
        t.ignored = new ArrayList<>();
        t.ts = t.ts.forward(ts);
        return t;
    }

    private static LockUpdate update(Txn t, TxnStatus status, Timestamp ts) {
        return new LockUpdate(t.id, t.epoch, status, ts, t.ignored);
    }
}
