package dev.meridian.storage.mvcc;

/**
 * Whether reads of a span stay valid when a transaction moves its read timestamp from
 * {@code from} up to {@code to}: nobody else wrote there in {@code (from, to]}.
 *
 * @param status    OK, or what invalidates the reads
 * @param key       the first key in the way (null when OK)
 * @param timestamp the committed version's timestamp, or the intent's (null when OK)
 * @param holder    INTENT: the transaction whose intent is in the way
 */
public record RefreshResult(Status status, byte[] key, Timestamp timestamp, TxnMeta holder) {

    public enum Status {
        OK,
        /** A committed version in the window: the reads would now see it. */
        COMMITTED_VALUE,
        /** Another transaction's intent at or below {@code to}: it may commit in the window. */
        INTENT
    }

    public boolean ok() {
        return status == Status.OK;
    }

    static final RefreshResult OK = new RefreshResult(Status.OK, null, null, null);
}
