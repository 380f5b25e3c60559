package dev.meridian.storage.mvcc;

import dev.meridian.storage.CorruptionException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MvccValueCodecTest {
    private static final byte[] KEY = MvccKeyCodec.versionKey(new byte[] {'k'}, Timestamp.ofWall(5));

    @Test
    void valuesAndTombstonesRoundTrip() {
        assertThat(MvccValueCodec.decode(KEY, MvccValueCodec.encodeVersion(KEY, new byte[] {1, 2})).userValue())
                .containsExactly(1, 2);
        assertThat(MvccValueCodec.decode(KEY, MvccValueCodec.encodeVersion(KEY, null)).userValue()).isNull();
        assertThat(MvccValueCodec.decode(KEY, MvccValueCodec.encodeVersion(KEY, new byte[0])).userValue()).isEmpty();
    }

    @Test
    void everyFlippedBitIsCaughtAndNamesTheKey() {
        byte[] stored = MvccValueCodec.encodeVersion(KEY, new byte[] {'v', 'a', 'l'});
        for (int i = 0; i < stored.length * 8; i++) {
            byte[] bad = stored.clone();
            bad[i / 8] ^= (byte) (1 << (i % 8));
            assertThatThrownBy(() -> MvccValueCodec.decode(KEY, bad)).isInstanceOf(CorruptionException.class)
                    .hasMessageContaining("for key k @5,0")
                    .satisfies(e -> assertThat(((CorruptionException) e).key()).containsExactly('k'));
        }
    }

    @Test
    void aValueUnderAnotherKeyOrTimestampIsCaught() {
        byte[] stored = MvccValueCodec.encodeVersion(KEY, new byte[] {'v'});
        byte[] otherTs = MvccKeyCodec.versionKey(new byte[] {'k'}, Timestamp.ofWall(6));
        assertThatThrownBy(() -> MvccValueCodec.decode(otherTs, stored)).isInstanceOf(CorruptionException.class);
        byte[] lockKey = MvccKeyCodec.lockKey(new byte[] {'k'});
        assertThatThrownBy(() -> MvccValueCodec.decode(lockKey, stored)).isInstanceOf(CorruptionException.class);
        assertThatThrownBy(() -> MvccValueCodec.decode(KEY, new byte[] {1, 2})).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void lockRecordsRoundTrip() {
        TxnMeta txn = new TxnMeta(new UUID(3, 4), 2, Timestamp.of(10, 1), Timestamp.ofWall(9), 7, 5,
                IsolationLevel.READ_COMMITTED, new byte[] {'a', 0, 'z'});
        LockRecord lock = new LockRecord(txn, List.of(new IntentHistoryEntry(3, new byte[] {1}),
                new IntentHistoryEntry(5, null), new IntentHistoryEntry(7, new byte[0])));
        byte[] lockKey = MvccKeyCodec.lockKey(new byte[] {'k'});
        LockRecord back = LockRecordCodec.decode(lockKey, LockRecordCodec.encode(lock));
        assertThat(back.txn()).isEqualTo(txn);
        assertThat(back.txn().anchorKey()).containsExactly('a', 0, 'z');
        assertThat(back.txn()).isNotEqualTo(txn.withAnchorKey(new byte[] {'a'}));
        assertThat(back.history()).hasSize(3);
        assertThat(back.history().get(0).value()).containsExactly(1);
        assertThat(back.history().get(1).isTombstone()).isTrue();
        assertThat(back.history().get(2).value()).isEmpty();
        byte[] truncated = java.util.Arrays.copyOf(LockRecordCodec.encode(lock), 30);
        assertThatThrownBy(() -> LockRecordCodec.decode(lockKey, truncated)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining("undecodable lock record");
    }

    @Test
    void intentHistoryVisibilityFollowsSequenceAndIgnoredRanges() {
        TxnMeta txn = TxnMeta.of(new UUID(0, 1), Timestamp.ofWall(1));
        LockRecord lock = new LockRecord(txn, List.of(new IntentHistoryEntry(1, new byte[] {1}),
                new IntentHistoryEntry(3, new byte[] {3}), new IntentHistoryEntry(5, new byte[] {5})));
        assertThat(lock.visibleAt(0, List.of())).isNull();
        assertThat(lock.visibleAt(2, List.of()).sequence()).isEqualTo(1);
        assertThat(lock.visibleAt(5, List.of()).sequence()).isEqualTo(5);
        assertThat(lock.visibleAt(9, List.of(new SeqRange(4, 5))).sequence()).isEqualTo(3);
        assertThat(lock.visibleAt(9, List.of(new SeqRange(1, 5)))).isNull();
        assertThat(lock.withoutIgnored(List.of(new SeqRange(3, 3)))).extracting(IntentHistoryEntry::sequence)
                .containsExactly(1, 5);
        assertThatThrownBy(() -> new LockRecord(txn, List.of(new IntentHistoryEntry(2, null), new IntentHistoryEntry(2, null))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
