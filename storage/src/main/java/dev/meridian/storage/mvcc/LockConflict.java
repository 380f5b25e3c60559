package dev.meridian.storage.mvcc;

/**
 * A key locked by an intent that the operation may not read past or write over: the caller must
 * push, wait for or resolve the holder. The holder's txn id, epoch and write timestamp (the
 * intent's timestamp) are in {@code holder}.
 *
 * @param key    the user key
 * @param holder the transaction that holds the intent
 */
public record LockConflict(byte[] key, TxnMeta holder) {

    /** The intent's timestamp. */
    public Timestamp timestamp() {
        return holder.writeTimestamp();
    }
}
