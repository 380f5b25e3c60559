package dev.meridian.cluster.replica.txnrecord;

import dev.meridian.cluster.replica.concurrency.PushPolicy;
import dev.meridian.storage.mvcc.IsolationLevel;
import dev.meridian.storage.mvcc.Timestamp;
import dev.meridian.storage.mvcc.TxnMeta;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random interleavings of a coordinator (heartbeats, commits at the timestamp it believes,
 * aborts, restarts) with pushers and recoverers, applied to one record. After every step: a
 * finalized status never changes, the write timestamp never goes down, and no commit is
 * accepted below a timestamp the record was pushed to.
 */
class TxnRecordsPropertyTest {

    record Step(int op, int priority, int time, int epoch, boolean flag) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(1, 40), Arbitraries.integers().between(0, 2), Arbitraries.of(true, false))
                .as(Step::new).list().ofMaxSize(30);
    }

    @Property(tries = 500)
    void finalizedNeverChangesTimestampsNeverFallAndPushedCommitsAreRefused(@ForAll("steps") List<Step> steps) {
        byte[] anchor = {'k'};
        Duration expiry = Duration.ofNanos(50);
        TxnMeta coordinator = new TxnMeta(new UUID(0, 7), 0, Timestamp.ofWall(10), Timestamp.ofWall(10), 0, 5,
                IsolationLevel.SERIALIZABLE);
        Optional<TxnRecord> record = Optional.empty();
        long clock = 10;
        for (Step s : steps) {
            clock += s.time();
            Timestamp now = Timestamp.ofWall(clock);
            Optional<TxnRecord> before = record;
            TxnRecords.Result result = switch (s.op()) {
                case 0 -> TxnRecords.heartbeat(record, coordinator, anchor, now);
                case 1 -> TxnRecords.endTxn(record, coordinator, anchor, true,
                        s.flag() ? List.of(new TxnRecord.InFlightWrite(anchor, 1)) : List.of(), List.of(), now);
                case 2 -> TxnRecords.endTxn(record, coordinator, anchor, false, List.of(), List.of(), now);
                case 3 -> TxnRecords.push(record, coordinator, anchor,
                        s.flag() ? PushPolicy.Want.LOCK : PushPolicy.Want.TIMESTAMP_ABOVE_READ, s.priority(),
                        Timestamp.ofWall(clock - s.time() / 2), now, expiry);
                case 4 -> record.isPresent() ? TxnRecords.recover(record, s.flag(), true) : null;
                default -> {
                    // The coordinator restarts at a new epoch, or refreshes to the record's timestamp.
                    if (s.flag()) {
                        coordinator = coordinator.withEpoch(coordinator.epoch() + 1);
                    } else if (record.isPresent() && coordinator.writeTimestamp().less(record.get().meta().writeTimestamp())) {
                        coordinator = coordinator.withWriteTimestamp(record.get().meta().writeTimestamp());
                    }
                    yield null;
                }
            };
            if (result instanceof TxnRecords.Result.Accepted a && a.write().isPresent()) {
                record = a.write();
            }
            if (before.isPresent() && record.isPresent()) {
                TxnRecord b = before.get();
                TxnRecord r = record.get();
                if (b.status().finalized()) {
                    assertThat(r.status()).as("finalized %s changed after %s", b.status(), s).isEqualTo(b.status());
                }
                assertThat(r.meta().writeTimestamp().less(b.meta().writeTimestamp()))
                        .as("write timestamp went down after %s", s).isFalse();
                if (s.op() == 1 && r.status() != b.status() && r.status() != TxnRecord.Status.ABORTED) {
                    assertThat(coordinator.writeTimestamp().less(b.meta().writeTimestamp()))
                            .as("a commit below the pushed timestamp was accepted: %s", s).isFalse();
                }
            }
            if (before.isPresent() && before.get().status() == TxnRecord.Status.ABORTED) {
                assertThat(record.get().status()).isEqualTo(TxnRecord.Status.ABORTED);
            }
        }
    }
}
