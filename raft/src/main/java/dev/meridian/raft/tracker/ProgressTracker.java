package dev.meridian.raft.tracker;

import dev.meridian.raft.quorum.VoteResult;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The membership of a group together with the leader's progress per member and the votes of
 * the current election. Members are kept in id order so that every iteration is deterministic.
 *
 * <p>Invariant: there is a progress entry for exactly the nodes of the configuration (voters of
 * either half, learners).
 */
public final class ProgressTracker {

    private TrackerConfig config;
    private NavigableMap<Long, Progress> progress;
    private final TreeMap<Long, Boolean> votes = new TreeMap<>();
    private final int maxInflight;
    private final long maxInflightBytes;

    public ProgressTracker(int maxInflight, long maxInflightBytes) {
        this.maxInflight = maxInflight;
        this.maxInflightBytes = maxInflightBytes;
        this.config = TrackerConfig.empty();
        this.progress = new TreeMap<>();
    }

    public TrackerConfig config() {
        return config;
    }

    /** Read-only view, in id order. */
    public SortedMap<Long, Progress> progress() {
        return Collections.unmodifiableSortedMap(progress);
    }

    public Progress progress(long id) {
        return progress.get(id);
    }

    /** A fresh in-flight window with this tracker's limits. */
    public Inflights newInflights() {
        return new Inflights(maxInflight, maxInflightBytes);
    }

    /** Replaces configuration and progress together; the caller (a config change) built both. */
    public void switchTo(TrackerConfig newConfig, NavigableMap<Long, Progress> newProgress) {
        for (long id : newConfig.voters().ids()) {
            requireProgress(newProgress, id);
        }
        for (long id : newConfig.learners()) {
            requireProgress(newProgress, id);
        }
        if (newProgress.size() != newConfig.voters().ids().size() + newConfig.learners().size()) {
            throw new IllegalArgumentException("progress " + newProgress.keySet() + " does not match config " + newConfig);
        }
        this.config = newConfig;
        this.progress = new TreeMap<>(newProgress);
    }

    private static void requireProgress(NavigableMap<Long, Progress> prs, long id) {
        if (!prs.containsKey(id)) {
            throw new IllegalArgumentException("no progress for member " + id);
        }
    }

    /** A copy of the progress map for a config change to work on; Progress objects are shared. */
    public TreeMap<Long, Progress> copyProgress() {
        return new TreeMap<>(progress);
    }

    /** Visits every member in id order. */
    public void visit(BiConsumer<Long, Progress> visitor) {
        progress.forEach(visitor);
    }

    /** The largest index a quorum of voters has in its log, per {@code match}. */
    public long committed() {
        return config.voters().committedIndex(id -> {
            Progress p = progress.get(id);
            return p == null ? 0 : p.match();
        });
    }

    /**
     * The tick by which a quorum of voters had been heard from: the leader counts itself at
     * {@code nowTick}. Basis for a leader lease.
     */
    public long quorumContactTick(long selfId, long nowTick) {
        return config.voters().committedIndex(id -> {
            if (id == selfId) {
                return nowTick;
            }
            Progress p = progress.get(id);
            return p == null ? 0 : p.lastContactTick();
        });
    }

    /** Whether there is exactly one voter (so it decides alone). */
    public boolean isSingleton() {
        return config.voters().ids().size() == 1 && !config.isJoint();
    }

    /**
     * Whether a quorum of voters was heard from since the last call, counting {@code selfId}
     * as active; resets the activity marks of everyone else.
     */
    public boolean quorumActive(long selfId) {
        TreeMap<Long, Boolean> active = new TreeMap<>();
        progress.forEach((id, p) -> {
            if (!p.isLearner()) {
                active.put(id, id == selfId || p.recentActive());
            }
            if (id != selfId) {
                p.setRecentActive(false);
            }
        });
        return config.voters().voteResult(active) == VoteResult.WON;
    }

    public void resetVotes() {
        votes.clear();
    }

    /** Records a vote; a second vote from the same node in one election is ignored. */
    public void recordVote(long id, boolean granted) {
        votes.putIfAbsent(id, granted);
    }

    public record Tally(int granted, int rejected, VoteResult result) {
    }

    public Tally tallyVotes() {
        int granted = 0;
        int rejected = 0;
        for (var e : votes.entrySet()) {
            Progress p = progress.get(e.getKey());
            if (p == null || p.isLearner()) {
                continue;
            }
            if (e.getValue()) {
                granted++;
            } else {
                rejected++;
            }
        }
        return new Tally(granted, rejected, config.voters().voteResult(votes));
    }
}
