package dev.meridian.raft.tracker;

/**
 * The leader's view of one follower (or learner): how far its log is known to match
 * ({@code match}), which entry to send next ({@code next}), and the replication state.
 *
 * <p>Invariant: {@code match < next}. Only a positive acknowledgement raises {@code match};
 * a rejection only lowers {@code next}, never below {@code match + 1}.
 */
public final class Progress {

    private long match;
    private long next;
    private ProgressState state = ProgressState.PROBE;
    private long pendingSnapshot;
    private boolean recentActive;
    private long lastContactTick;
    private boolean probeSent;
    private boolean learner;
    private final Inflights inflights;

    public Progress(long match, long next, Inflights inflights, boolean learner) {
        if (next <= match) {
            throw new IllegalArgumentException("next " + next + " must exceed match " + match);
        }
        this.match = match;
        this.next = next;
        this.inflights = inflights;
        this.learner = learner;
    }

    public long match() {
        return match;
    }

    public long next() {
        return next;
    }

    public ProgressState state() {
        return state;
    }

    /** In SNAPSHOT state, the index of the snapshot being sent; 0 otherwise. */
    public long pendingSnapshot() {
        return pendingSnapshot;
    }

    /** Whether the follower was heard from since the last check-quorum round. */
    public boolean recentActive() {
        return recentActive;
    }

    public void setRecentActive(boolean active) {
        this.recentActive = active;
    }

    /**
     * The latest leader tick at which a heartbeat was sent that this follower has answered:
     * the follower heard from the leader no earlier than this.
     */
    public long lastContactTick() {
        return lastContactTick;
    }

    /** Records an answer to a heartbeat sent at {@code tick}; marks the follower recently active. */
    public void heardFrom(long tick) {
        this.recentActive = true;
        this.lastContactTick = Math.max(lastContactTick, tick);
    }

    public boolean isLearner() {
        return learner;
    }

    public void setLearner(boolean learner) {
        this.learner = learner;
    }

    public Inflights inflights() {
        return inflights;
    }

    /** In PROBE state, whether an append is outstanding; the next waits for its answer. */
    public boolean probeSent() {
        return probeSent;
    }

    /** A heartbeat response shows the follower is reachable again: allow the next probe. */
    public void resumeProbing() {
        this.probeSent = false;
    }

    /** Sending is paused: one probe outstanding, a full window, or a snapshot in flight. */
    public boolean isPaused() {
        return switch (state) {
            case PROBE -> probeSent;
            case REPLICATE -> inflights.full();
            case SNAPSHOT -> true;
        };
    }

    private void resetState(ProgressState newState) {
        probeSent = false;
        pendingSnapshot = 0;
        state = newState;
        inflights.reset();
    }

    /**
     * Back to probing. After a snapshot the follower holds at least the snapshot, so probing
     * starts after it.
     */
    public void becomeProbe() {
        if (state == ProgressState.SNAPSHOT) {
            long snapshotIndex = pendingSnapshot;
            resetState(ProgressState.PROBE);
            next = Math.max(match + 1, snapshotIndex + 1);
        } else {
            resetState(ProgressState.PROBE);
            next = match + 1;
        }
    }

    /**
     * The transport reports how sending the snapshot ended. Either way probe next, but only
     * after the follower answers a heartbeat: it may still be applying the snapshot.
     */
    public void snapshotDone(boolean success) {
        if (!success) {
            pendingSnapshot = 0;
        }
        becomeProbe();
        probeSent = true;
    }

    public void becomeReplicate() {
        resetState(ProgressState.REPLICATE);
        next = match + 1;
    }

    public void becomeSnapshot(long snapshotIndex) {
        resetState(ProgressState.SNAPSHOT);
        pendingSnapshot = snapshotIndex;
    }

    /**
     * Records that entries up to {@code lastIndex} were sent ({@code count} entries,
     * {@code bytes} payload). Replicating: advance {@code next} optimistically and occupy the
     * window. Probing: wait for the answer before sending again.
     */
    public void sentEntries(long lastIndex, int count, long bytes) {
        switch (state) {
            case REPLICATE -> {
                if (count > 0) {
                    next = lastIndex + 1;
                    inflights.add(lastIndex, bytes);
                }
            }
            case PROBE -> probeSent = true;
            case SNAPSHOT -> throw new IllegalStateException("sending entries in SNAPSHOT state");
        }
    }

    /**
     * A positive acknowledgement up to {@code n}. Returns whether {@code match} rose (false
     * for a stale or duplicate acknowledgement).
     */
    public boolean maybeUpdate(long n) {
        boolean updated = false;
        if (match < n) {
            match = n;
            updated = true;
            probeSent = false;
        }
        next = Math.max(next, n + 1);
        return updated;
    }

    /**
     * A rejection of the append whose previous index was {@code rejected}; the follower hints
     * that its log may match at {@code matchHint}. Returns false when the rejection is stale
     * (answers an append that no longer matters), true when {@code next} moved back.
     */
    public boolean maybeDecrTo(long rejected, long matchHint) {
        if (state == ProgressState.REPLICATE) {
            if (rejected <= match) {
                return false;
            }
            // The optimistic pipeline went wrong past match: restart right after it.
            next = match + 1;
            return true;
        }
        if (next - 1 != rejected) {
            return false;
        }
        next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
        probeSent = false;
        return true;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder().append(state).append(" match=").append(match).append(" next=").append(next);
        if (learner) {
            b.append(" learner");
        }
        if (state == ProgressState.SNAPSHOT) {
            b.append(" pendingSnapshot=").append(pendingSnapshot);
        }
        if (state == ProgressState.PROBE && probeSent) {
            b.append(" paused");
        }
        if (inflights.count() > 0) {
            b.append(" inflight=").append(inflights.count());
            if (inflights.full()) {
                b.append("[full]");
            }
        }
        return b.toString();
    }
}
