package dev.meridian.storage.mvcc;

import dev.meridian.storage.Durability;
import dev.meridian.storage.Engine;
import dev.meridian.storage.EngineIterator;
import dev.meridian.storage.KeySpace;
import dev.meridian.storage.ReadWriteBatch;
import dev.meridian.storage.memory.InMemoryEngine;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactions against simple expectations: while pending, the writer reads at every sequence
 * number the latest non-ignored write at or below it (else the committed value); an abort leaves
 * the store byte for byte as it was; a commit at C leaves it byte for byte as if the last
 * non-ignored value of every key had been written non-transactionally at C.
 */
class MvccIntentPropertyTest {

    private static final byte[][] KEYS = {{'a'}, {'a', 0}, {'b'}, {}};
    private static final Timestamp TXN_TS = Timestamp.ofWall(100);

    /** A committed write before the transaction, or one write of the transaction (ts unused). */
    record Write(int key, long wall, byte[] value) {
    }

    @Provide
    Arbitrary<List<Write>> writes() {
        return Combinators.combine(Arbitraries.integers().between(0, KEYS.length - 1), Arbitraries.longs().between(1, 30),
                        Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(3).injectNull(0.25))
                .as(Write::new).list().ofMaxSize(12);
    }

    @Property(tries = 150)
    void pendingReadsAndCommitMatchPlainWrites(@ForAll("writes") List<Write> base, @ForAll("writes") List<Write> txnWrites,
                                               @ForAll @IntRange(max = 4095) int ignoredMask,
                                               @ForAll @IntRange(max = 20) int commitDelta,
                                               @ForAll @IntRange(max = 20) int pushDelta) {
        try (Engine engine = new InMemoryEngine(); Engine expected = new InMemoryEngine()) {
            MvccStats stats = new MvccStats();
            applyCommitted(engine, stats, base);
            applyCommitted(expected, new MvccStats(), base);
            TxnMeta txn = TxnMeta.of(new UUID(1, 1), TXN_TS);
            List<SeqRange> ignored = new ArrayList<>();
            for (int seq = 1; seq <= txnWrites.size(); seq++) {
                Write w = txnWrites.get(seq - 1);
                writeIntent(engine, stats, txn.withSequence(seq), KEYS[w.key()], w.value());
                if ((ignoredMask & (1 << (seq - 1))) != 0) {
                    ignored.add(new SeqRange(seq, seq));
                }
            }
            checkPendingReads(engine, txn, txnWrites, ignored);
            Timestamp pushed = TXN_TS.forward(Timestamp.ofWall(100 + pushDelta));
            resolveAll(engine, stats, new LockUpdate(txn.id(), 0, TxnStatus.PENDING, pushed, ignored));
            checkPendingReads(engine, txn, txnWrites, ignored);
            Timestamp commit = pushed.forward(Timestamp.ofWall(100 + commitDelta));
            resolveAll(engine, stats, new LockUpdate(txn.id(), 0, TxnStatus.COMMITTED, commit, ignored));
            for (int k = 0; k < KEYS.length; k++) {
                Write last = lastWrite(txnWrites, ignored, k, Integer.MAX_VALUE);
                if (last != null) {
                    applyCommitted(expected, new MvccStats(), List.of(new Write(k, 0, last.value())), commit);
                }
            }
            assertThat(entries(engine)).isEqualTo(entries(expected));
            assertThat(Mvcc.computeStats(engine, new byte[0], null)).isEqualTo(stats);
        }
    }

    @Property(tries = 150)
    void abortLeavesNoTrace(@ForAll("writes") List<Write> base, @ForAll("writes") List<Write> txnWrites,
                            @ForAll @IntRange(max = 20) int pushDelta, @ForAll @IntRange(max = 2) int epoch) {
        try (Engine engine = new InMemoryEngine()) {
            MvccStats stats = new MvccStats();
            applyCommitted(engine, stats, base);
            List<String> before = entries(engine);
            MvccStats statsBefore = stats.copy();
            TxnMeta txn = TxnMeta.of(new UUID(1, 1), TXN_TS);
            for (int seq = 1; seq <= txnWrites.size(); seq++) {
                Write w = txnWrites.get(seq - 1);
                writeIntent(engine, stats, txn.withSequence(seq), KEYS[w.key()], w.value());
            }
            resolveAll(engine, stats, new LockUpdate(txn.id(), 0, TxnStatus.PENDING,
                    Timestamp.ofWall(100 + pushDelta), List.of()));
            // An abort, or a commit of a later epoch (which never commits an earlier epoch's writes).
            TxnStatus status = epoch == 0 ? TxnStatus.ABORTED : TxnStatus.COMMITTED;
            resolveAll(engine, stats, new LockUpdate(txn.id(), epoch, status, Timestamp.ofWall(200), List.of()));
            assertThat(entries(engine)).isEqualTo(before);
            assertThat(stats).isEqualTo(statsBefore);
        }
    }

    private static void checkPendingReads(Engine engine, TxnMeta txn, List<Write> txnWrites, List<SeqRange> ignored) {
        for (int seq = 0; seq <= txnWrites.size(); seq++) {
            for (int k = 0; k < KEYS.length; k++) {
                ReadOptions o = ReadOptions.txn(txn.withSequence(seq), TXN_TS).withIgnoredSeqs(ignored);
                GetResult r = Mvcc.get(engine, KEYS[k], o);
                Write own = lastWrite(txnWrites, ignored, k, seq);
                if (own == null) {
                    GetResult committed = Mvcc.get(engine, KEYS[k], ReadOptions.at(Timestamp.ofWall(99)));
                    assertThat(r.status()).isEqualTo(committed.status());
                    assertThat(r.value()).isEqualTo(committed.value());
                } else if (own.value() == null) {
                    assertThat(r.status()).isEqualTo(GetResult.Status.NOT_FOUND);
                } else {
                    assertThat(r.value()).isEqualTo(own.value());
                }
            }
        }
    }

    /** The last write to key {@code k} with sequence (1-based position) at or below {@code seq}, not ignored. */
    private static Write lastWrite(List<Write> txnWrites, List<SeqRange> ignored, int k, int seq) {
        Write last = null;
        for (int s = 1; s <= Math.min(seq, txnWrites.size()); s++) {
            if (txnWrites.get(s - 1).key() == k && !SeqRange.anyContains(ignored, s)) {
                last = txnWrites.get(s - 1);
            }
        }
        return last;
    }

    private static void applyCommitted(Engine engine, MvccStats stats, List<Write> writes) {
        applyCommitted(engine, stats, writes, null);
    }

    private static void applyCommitted(Engine engine, MvccStats stats, List<Write> writes, Timestamp at) {
        for (Write w : writes) {
            try (ReadWriteBatch b = engine.newReadWriteBatch()) {
                WriteOptions o = WriteOptions.at(at != null ? at : Timestamp.ofWall(w.wall()));
                WriteResult r = w.value() == null ? Mvcc.delete(b, stats, KEYS[w.key()], o)
                        : Mvcc.put(b, stats, KEYS[w.key()], w.value(), o);
                if (r.ok()) {
                    engine.write(b, Durability.SYNCED);
                }
            }
        }
    }

    private static void writeIntent(Engine engine, MvccStats stats, TxnMeta txn, byte[] key, byte[] value) {
        try (ReadWriteBatch b = engine.newReadWriteBatch()) {
            WriteResult r = value == null ? Mvcc.delete(b, stats, key, WriteOptions.txn(txn))
                    : Mvcc.put(b, stats, key, value, WriteOptions.txn(txn));
            assertThat(r.status()).isEqualTo(WriteResult.Status.OK);
            engine.write(b, Durability.SYNCED);
        }
    }

    private static void resolveAll(Engine engine, MvccStats stats, LockUpdate u) {
        try (ReadWriteBatch b = engine.newReadWriteBatch()) {
            Mvcc.resolveIntentRange(b, stats, new byte[0], null, u, 0);
            engine.write(b, Durability.SYNCED);
        }
    }

    private static List<String> entries(Engine engine) {
        List<String> all = new ArrayList<>();
        try (EngineIterator it = engine.iterator(KeySpace.MVCC, null, null)) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                all.add(Arrays.toString(it.key()) + "=" + Arrays.toString(it.value()));
            }
        }
        return all;
    }
}
