package dev.meridian.raft.sim;

import dev.meridian.raft.ConfState;
import dev.meridian.raft.Entry;
import dev.meridian.raft.RawNode;
import dev.meridian.raft.Ready;
import dev.meridian.raft.Role;

import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One simulated machine: a {@link RawNode} over a {@link SimDisk}, and a state machine that is
 * the list of applied entries. Only the disk's synced part and the snapshot in it survive a
 * crash; the RawNode and the applied list are memory.
 */
final class SimNode {

    enum Life { UP, CRASHED, REMOVED }

    final long id;
    final SimDisk disk;
    /** Election jitter; survives restarts like a machine's entropy source would. */
    final SplittableRandom random;
    /** This machine's tick length: clocks drift by up to 10%. */
    final int tickMs;
    Life life = Life.UP;
    RawNode raw;
    int incarnation;
    /** The Ready written to disk whose fsync has not completed yet; null if none. */
    Ready outstanding;
    Role role = Role.FOLLOWER;
    /** Whether the nemesis strikes this leader right after its first commit in its term. */
    boolean strikeOnFirstCommit;
    long commitWhenElected;
    /** Whether the node has ever been in a configuration some node applied. */
    boolean joined;
    /** The state machine: entry i at position i-1. */
    final ArrayList<Entry> applied = new ArrayList<>();
    /** Membership in force from each applied index on (for the snapshots it takes). */
    final TreeMap<Long, ConfState> confHistory = new TreeMap<>();

    SimNode(long id, ConfState initial, SplittableRandom random, int tickMs) {
        this.id = id;
        this.disk = new SimDisk(initial);
        this.random = random;
        this.tickMs = tickMs;
        confHistory.put(0L, initial);
    }

    boolean up() {
        return life == Life.UP;
    }

    long appliedIndex() {
        return applied.size();
    }

    /** The applied entry at {@code index}, or null. */
    Entry appliedAt(long index) {
        return index >= 1 && index <= applied.size() ? applied.get((int) index - 1) : null;
    }

    ConfState confAt(long index) {
        return confHistory.floorEntry(index).getValue();
    }
}
