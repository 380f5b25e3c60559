package dev.meridian.storage.mvcc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The lock record of a key that holds an intent: the transaction that owns it and every write it
 * made to the key in its current epoch, oldest sequence first. The provisional version of the key
 * sits at {@code txn.writeTimestamp()} and holds the value of the last history entry.
 *
 * @param txn     the owning transaction; {@code writeTimestamp} is the intent's timestamp and
 *                {@code sequence} that of its latest write
 * @param history every write of this epoch, sequence numbers strictly increasing, never empty
 */
public record LockRecord(TxnMeta txn, List<IntentHistoryEntry> history) {

    public LockRecord {
        Objects.requireNonNull(txn, "txn");
        history = List.copyOf(history);
        if (history.isEmpty()) {
            throw new IllegalArgumentException("a lock record needs at least one write");
        }
        for (int i = 1; i < history.size(); i++) {
            if (history.get(i).sequence() <= history.get(i - 1).sequence()) {
                throw new IllegalArgumentException("intent history sequence numbers must increase");
            }
        }
    }

    /** The intent's timestamp: where its provisional version is. */
    public Timestamp timestamp() {
        return txn.writeTimestamp();
    }

    /** The latest write. */
    public IntentHistoryEntry latest() {
        return history.get(history.size() - 1);
    }

    /**
     * The latest write with a sequence number {@code <= seq} that is not ignored, or {@code null}
     * when the transaction has no such write to this key (it then reads what lies below).
     */
    public IntentHistoryEntry visibleAt(int seq, List<SeqRange> ignored) {
        for (int i = history.size() - 1; i >= 0; i--) {
            IntentHistoryEntry e = history.get(i);
            if (e.sequence() <= seq && !SeqRange.anyContains(ignored, e.sequence())) {
                return e;
            }
        }
        return null;
    }

    /** The entry written at exactly {@code seq}, or {@code null}. */
    public IntentHistoryEntry entryAt(int seq) {
        for (IntentHistoryEntry e : history) {
            if (e.sequence() == seq) {
                return e;
            }
        }
        return null;
    }

    /** The history without ignored writes (possibly empty, so not a lock record). */
    public List<IntentHistoryEntry> withoutIgnored(List<SeqRange> ignored) {
        List<IntentHistoryEntry> kept = new ArrayList<>(history.size());
        for (IntentHistoryEntry e : history) {
            if (!SeqRange.anyContains(ignored, e.sequence())) {
                kept.add(e);
            }
        }
        return kept;
    }
}
