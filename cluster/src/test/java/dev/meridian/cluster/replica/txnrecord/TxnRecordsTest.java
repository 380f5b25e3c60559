package dev.meridian.cluster.replica.txnrecord;

import dev.meridian.cluster.replica.concurrency.PushPolicy;
import dev.meridian.cluster.replica.txnrecord.TxnRecords.Refusal;
import dev.meridian.cluster.replica.txnrecord.TxnRecords.Result;
import dev.meridian.storage.mvcc.IsolationLevel;
import dev.meridian.storage.mvcc.Timestamp;
import dev.meridian.storage.mvcc.TxnMeta;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TxnRecordsTest {

    private static final byte[] ANCHOR = {'a'};
    private static final Duration EXPIRY = Duration.ofNanos(100);
    private static final List<TxnRecord.InFlightWrite> NONE = List.of();
    private static final List<TxnRecord.InFlightWrite> TWO = List.of(
            new TxnRecord.InFlightWrite(new byte[] {'a'}, 1), new TxnRecord.InFlightWrite(new byte[] {'b'}, 2));

    private final TxnMeta txn = new TxnMeta(new UUID(0, 1), 0, ts(10), ts(10), 0, 5, IsolationLevel.SERIALIZABLE);

    private static Timestamp ts(long wall) {
        return Timestamp.ofWall(wall);
    }

    private static TxnRecord accepted(Result r) {
        assertThat(r).isInstanceOf(Result.Accepted.class);
        return ((Result.Accepted) r).record();
    }

    private static Refusal refused(Result r) {
        assertThat(r).isInstanceOf(Result.Refused.class);
        return ((Result.Refused) r).reason();
    }

    private TxnRecord pending() {
        return accepted(TxnRecords.heartbeat(Optional.empty(), txn, ANCHOR, ts(10)));
    }

    @Test
    void aHeartbeatCreatesThePendingRecordAndKeepsItAlive() {
        TxnRecord r = pending();
        assertThat(r.status()).isEqualTo(TxnRecord.Status.PENDING);
        assertThat(r.lastHeartbeat()).isEqualTo(ts(10));
        Result again = TxnRecords.heartbeat(Optional.of(r), txn, ANCHOR, ts(50));
        assertThat(accepted(again).lastHeartbeat()).isEqualTo(ts(50));
        Result older = TxnRecords.heartbeat(Optional.of(accepted(again)), txn, ANCHOR, ts(40));
        assertThat(((Result.Accepted) older).write()).as("an older heartbeat writes nothing").isEmpty();
        TxnRecord restarted = accepted(TxnRecords.heartbeat(Optional.of(r), txn.withEpoch(1).withWriteTimestamp(ts(30)), ANCHOR, ts(60)));
        assertThat(restarted.meta().epoch()).isEqualTo(1);
        assertThat(restarted.meta().writeTimestamp()).isEqualTo(ts(30));
    }

    @Test
    void commitsStageWithWritesInFlightAndCommitWithout() {
        TxnRecord committed = accepted(TxnRecords.endTxn(Optional.of(pending()), txn, ANCHOR, true, NONE, List.of(), ts(20)));
        assertThat(committed.status()).isEqualTo(TxnRecord.Status.COMMITTED);
        assertThat(committed.meta().writeTimestamp()).isEqualTo(ts(10));
        TxnRecord staging = accepted(TxnRecords.endTxn(Optional.empty(), txn, ANCHOR, true, TWO, List.of(), ts(20)));
        assertThat(staging.status()).isEqualTo(TxnRecord.Status.STAGING);
        assertThat(staging.inFlightWrites()).hasSize(2);
        TxnRecord confirmed = accepted(TxnRecords.endTxn(Optional.of(staging), txn, ANCHOR, true, NONE, List.of(), ts(30)));
        assertThat(confirmed.status()).isEqualTo(TxnRecord.Status.COMMITTED);
        assertThat(confirmed.inFlightWrites()).isEmpty();
        // Replays: committing again is fine, aborting a committed transaction is refused.
        assertThat(accepted(TxnRecords.endTxn(Optional.of(confirmed), txn, ANCHOR, true, NONE, List.of(), ts(40))))
                .isEqualTo(confirmed);
        assertThat(refused(TxnRecords.endTxn(Optional.of(confirmed), txn, ANCHOR, false, NONE, List.of(), ts(40))))
                .isEqualTo(Refusal.ALREADY_COMMITTED);
    }

    @Test
    void aPushedTransactionMustRefreshBeforeItCommits() {
        TxnRecord pushed = accepted(TxnRecords.push(Optional.of(pending()), txn, ANCHOR, PushPolicy.Want.TIMESTAMP_ABOVE_READ,
                9, ts(25), ts(20), EXPIRY));
        assertThat(pushed.meta().writeTimestamp()).isEqualTo(ts(25).next());
        assertThat(refused(TxnRecords.endTxn(Optional.of(pushed), txn, ANCHOR, true, NONE, List.of(), ts(30))))
                .isEqualTo(Refusal.RETRY_SERIALIZABLE);
        TxnRecord committed = accepted(TxnRecords.endTxn(Optional.of(pushed), txn.withWriteTimestamp(ts(25).next()), ANCHOR,
                true, NONE, List.of(), ts(30)));
        assertThat(committed.meta().writeTimestamp()).isEqualTo(ts(25).next());
    }

    @Test
    void pushesFollowPriorityAndExpiry() {
        TxnRecord r = pending(); // priority 5, heartbeat at 10, expires after 110
        assertThat(refused(TxnRecords.push(Optional.of(r), txn, ANCHOR, PushPolicy.Want.LOCK, 5, ts(20), ts(50), EXPIRY)))
                .isEqualTo(Refusal.PUSH_FAILED);
        assertThat(accepted(TxnRecords.push(Optional.of(r), txn, ANCHOR, PushPolicy.Want.LOCK, 6, ts(20), ts(50), EXPIRY))
                .status()).isEqualTo(TxnRecord.Status.ABORTED);
        assertThat(accepted(TxnRecords.push(Optional.of(r), txn, ANCHOR, PushPolicy.Want.LOCK, 0, ts(20), ts(111), EXPIRY))
                .status()).as("expired: anyone aborts it").isEqualTo(TxnRecord.Status.ABORTED);
        // Already above the read: nothing to do, whatever the priorities.
        Result above = TxnRecords.push(Optional.of(r), txn, ANCHOR, PushPolicy.Want.TIMESTAMP_ABOVE_READ, 0, ts(5), ts(50), EXPIRY);
        assertThat(((Result.Accepted) above).write()).isEmpty();
    }

    @Test
    void aMissingRecordIsPushedAsAPendingOneAndTheOutcomeSticks() {
        // The pushee never heartbeated; its intent says it started at 10; at 200 it has expired.
        TxnRecord aborted = accepted(TxnRecords.push(Optional.empty(), txn, ANCHOR, PushPolicy.Want.LOCK, 0, ts(20), ts(200), EXPIRY));
        assertThat(aborted.status()).isEqualTo(TxnRecord.Status.ABORTED);
        assertThat(refused(TxnRecords.heartbeat(Optional.of(aborted), txn, ANCHOR, ts(210)))).isEqualTo(Refusal.ABORTED);
        assertThat(refused(TxnRecords.endTxn(Optional.of(aborted), txn, ANCHOR, true, NONE, List.of(), ts(210))))
                .isEqualTo(Refusal.ABORTED);
        assertThat(accepted(TxnRecords.endTxn(Optional.of(aborted), txn, ANCHOR, false, NONE, List.of(), ts(210)))
                .status()).as("aborting again is fine").isEqualTo(TxnRecord.Status.ABORTED);
    }

    @Test
    void aStagingRecordIsNeverPushedOnlyRecovered() {
        TxnRecord staging = accepted(TxnRecords.endTxn(Optional.of(pending()), txn, ANCHOR, true, TWO, List.of(), ts(20)));
        assertThat(refused(TxnRecords.push(Optional.of(staging), txn, ANCHOR, PushPolicy.Want.LOCK, 99, ts(20), ts(50), EXPIRY)))
                .isEqualTo(Refusal.PUSH_FAILED);
        assertThat(refused(TxnRecords.push(Optional.of(staging), txn, ANCHOR, PushPolicy.Want.LOCK, 99, ts(20), ts(500), EXPIRY)))
                .isEqualTo(Refusal.NEEDS_RECOVERY);
        assertThat(accepted(TxnRecords.recover(Optional.of(staging), true, false)).status()).isEqualTo(TxnRecord.Status.COMMITTED);
        assertThatThrownBy(() -> TxnRecords.recover(Optional.of(staging), false, false)).isInstanceOf(IllegalStateException.class);
        assertThat(accepted(TxnRecords.recover(Optional.of(staging), false, true)).status()).isEqualTo(TxnRecord.Status.ABORTED);
        TxnRecord done = accepted(TxnRecords.recover(Optional.of(staging), true, false));
        assertThat(accepted(TxnRecords.recover(Optional.of(done), false, true))).as("recovering a finished record changes nothing")
                .isEqualTo(done);
    }

    @Test
    void aStaleEpochCannotEndTheTransaction() {
        TxnRecord restarted = accepted(TxnRecords.heartbeat(Optional.of(pending()), txn.withEpoch(2), ANCHOR, ts(20)));
        assertThat(refused(TxnRecords.endTxn(Optional.of(restarted), txn.withEpoch(1), ANCHOR, true, NONE, List.of(), ts(30))))
                .isEqualTo(Refusal.STALE_EPOCH);
        assertThatThrownBy(() -> TxnRecords.endTxn(Optional.empty(), txn, ANCHOR, false, TWO, List.of(), ts(30)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TxnRecord(txn, ANCHOR, TxnRecord.Status.STAGING, ts(1), NONE, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPushTakesTheNewerEpochOfTheIntentItMet() {
        // The record says epoch 0; the transaction restarted and its intent is of epoch 1.
        TxnMeta intent = txn.withEpoch(1).withWriteTimestamp(ts(30));
        TxnRecord pushed = accepted(TxnRecords.push(Optional.of(pending()), intent, ANCHOR,
                PushPolicy.Want.TIMESTAMP_ABOVE_READ, 99, ts(40), ts(50), Duration.ofSeconds(10)));
        assertThat(pushed.meta().epoch()).as("resolving with epoch 0 would leave the epoch-1 intent in place").isEqualTo(1);
        assertThat(pushed.meta().writeTimestamp()).isGreaterThan(ts(40));
        // Already above the read: nothing to push, but the record still learns the epoch.
        Result above = TxnRecords.push(Optional.of(pending()), intent, ANCHOR, PushPolicy.Want.TIMESTAMP_ABOVE_READ, 99,
                ts(20), ts(50), Duration.ofSeconds(10));
        assertThat(((Result.Accepted) above).write()).isPresent();
        assertThat(accepted(above).meta().epoch()).isEqualTo(1);
        // A failed push reports the record in the newer epoch too.
        Result waits = TxnRecords.push(Optional.of(pending()), intent, ANCHOR, PushPolicy.Want.LOCK, 0, ts(40), ts(50),
                Duration.ofSeconds(10));
        assertThat(((Result.Refused) waits).record().orElseThrow().meta().epoch()).isEqualTo(1);
    }

    @Test
    void aStagingRecordOfAnOlderEpochBecomesPendingInTheNewOne() {
        TxnRecord staging = accepted(TxnRecords.endTxn(Optional.of(pending()), txn, ANCHOR, true, TWO, List.of(), ts(20)));
        TxnRecord restarted = accepted(TxnRecords.heartbeat(Optional.of(staging), txn.withEpoch(1), ANCHOR, ts(30)));
        assertThat(restarted.status()).isEqualTo(TxnRecord.Status.PENDING);
        assertThat(restarted.inFlightWrites()).as("a recoverer must not look for the old epoch's writes").isEmpty();
        Result pushed = TxnRecords.push(Optional.of(staging), txn.withEpoch(1), ANCHOR, PushPolicy.Want.LOCK, 99, ts(40), ts(50),
                Duration.ofSeconds(10));
        assertThat(accepted(pushed).status()).isEqualTo(TxnRecord.Status.ABORTED);
    }
}
