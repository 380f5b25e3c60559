package dev.meridian.raft;

import dev.meridian.raft.tracker.ProgressState;

/** A leader's view of one follower at the time of {@link RawNode#status()}. */
public record ProgressStatus(long match, long next, ProgressState state, boolean learner, boolean recentActive,
                             int inflight, long pendingSnapshot, long lastContactTick) {
}
