package dev.meridian.storage.mvcc;

import java.util.List;

/**
 * The outcome of a write. Only OK writes anything: every other status leaves the batch and the
 * stats untouched.
 *
 * @param status         what happened
 * @param timestamp      OK: the timestamp the version or intent was written at (a rewrite of an
 *                       intent that was pushed keeps the intent's higher timestamp);
 *                       WRITE_TOO_OLD: the timestamp the writer must move to (the newest existing
 *                       version's timestamp {@code .next()}); otherwise {@code null}
 * @param conflicts      LOCK_CONFLICT: the intents of other transactions in the way
 * @param value          CONDITION_FAILED: the actual value ({@code null} if absent);
 *                       OK increment: the new 8-byte value; otherwise {@code null}
 * @param valueTimestamp CONDITION_FAILED: the actual value's timestamp, if there is one
 * @param keys           OK delete-range: the keys that were live and got a tombstone
 */
public record WriteResult(Status status, Timestamp timestamp, List<LockConflict> conflicts, byte[] value,
                          Timestamp valueTimestamp, List<byte[]> keys) {

    public enum Status {
        OK,
        /** A committed version at or above the write timestamp exists; nothing was written. */
        WRITE_TOO_OLD,
        /** Another transaction's intent (or, for a non-transactional writer, any intent) is in the way. */
        LOCK_CONFLICT,
        /** A conditional put found a value other than the expected one; nothing was written. */
        CONDITION_FAILED
    }

    public WriteResult {
        conflicts = List.copyOf(conflicts);
        keys = List.copyOf(keys);
    }

    public boolean ok() {
        return status == Status.OK;
    }

    static WriteResult ok(Timestamp ts) {
        return new WriteResult(Status.OK, ts, List.of(), null, null, List.of());
    }

    static WriteResult okWithValue(Timestamp ts, byte[] value) {
        return new WriteResult(Status.OK, ts, List.of(), value, null, List.of());
    }

    static WriteResult okDeleted(Timestamp ts, List<byte[]> keys) {
        return new WriteResult(Status.OK, ts, List.of(), null, null, keys);
    }

    static WriteResult writeTooOld(Timestamp retryAt) {
        return new WriteResult(Status.WRITE_TOO_OLD, retryAt, List.of(), null, null, List.of());
    }

    static WriteResult lockConflict(List<LockConflict> conflicts) {
        return new WriteResult(Status.LOCK_CONFLICT, null, conflicts, null, null, List.of());
    }

    static WriteResult conditionFailed(byte[] actual, Timestamp actualTs) {
        return new WriteResult(Status.CONDITION_FAILED, null, List.of(), actual, actualTs, List.of());
    }
}
