package dev.meridian.cluster.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a node knows of its clock's offset to each peer, and whether it may keep serving.
 *
 * <p>An offset is measured with a round trip: the node reads its physical clock ({@code sent}),
 * the peer answers with its own ({@code remote}), the node reads its clock again
 * ({@code received}). The peer's reading was taken somewhere in between, so the offset is
 * {@code remote - (sent + received) / 2} give or take half the round trip, the uncertainty.
 *
 * <p>The verdict: a peer's offset is <em>beyond</em> the tolerance (80% of max-offset, so that
 * a node stops before the bound that uncertainty intervals and commit-wait rely on is broken)
 * when even the most favourable reading of the measurement is: {@code |offset| - uncertainty >
 * tolerance}. A node whose offsets to a strict majority of its peers are beyond is the odd one
 * out and must stop (BRIEF.md, "Time"). The peers counted are those the node knows of, except
 * ones whose last measurement is older than {@code staleAfter} (they went away); a peer not
 * measured yet counts, so that a node that has so far heard from one skewed peer only does not
 * stop itself. A node with fewer than two peers counted never stops: with one peer, nobody can
 * tell whose clock is wrong (a two-node cluster, or a node that so far knows only the node it
 * joined through), and stopping would take down a healthy node as often as a skewed one; the
 * hybrid clock's refusal of readings beyond max-offset is then the only guard.
 *
 * <p>Pure logic: all times are passed in. Not thread-safe; the caller serializes access.
 */
public final class ClockOffsets {

    /** One round trip's result: the peer's clock minus ours, and half the round trip. */
    public record Measurement(long offsetNanos, long uncertaintyNanos, long measuredAtNanos) {
        public Measurement {
            if (uncertaintyNanos < 0) {
                throw new IllegalArgumentException("negative uncertainty: " + uncertaintyNanos);
            }
        }

        /** Whether the offset exceeds {@code toleranceNanos} however the round trip is read. */
        public boolean beyond(long toleranceNanos) {
            return Math.abs(offsetNanos) - uncertaintyNanos > toleranceNanos;
        }
    }

    /**
     * The state of the node's clock against its peers.
     *
     * @param healthy  false if at least two peers are counted and the offsets to a strict
     *                 majority of them are beyond
     * @param counted  peers counted: known, and not gone stale
     * @param beyond   peers whose recent offset is beyond the tolerance, by peer id
     */
    public record Verdict(boolean healthy, int counted, Map<Long, Measurement> beyond, long toleranceNanos) {
        /** One line for the log: which peers, by how much, against what. */
        public String explanation() {
            List<String> peers = new ArrayList<>();
            beyond.forEach((peer, m) -> peers.add(String.format("n%d: %+.1f ms ±%.1f ms", peer,
                    m.offsetNanos() / 1e6, m.uncertaintyNanos() / 1e6)));
            return String.format("clock offset to %d of %d peers exceeds %.1f ms (80%% of max-offset) %s",
                    beyond.size(), counted, toleranceNanos / 1e6, peers);
        }
    }

    private final long toleranceNanos;
    private final long staleAfterNanos;
    private final TreeMap<Long, Measurement> latest = new TreeMap<>();

    /**
     * @param maxOffset  the cluster's max-offset; the tolerance is 80% of it
     * @param staleAfter measurements older than this are ignored
     */
    public ClockOffsets(Duration maxOffset, Duration staleAfter) {
        if (maxOffset.isNegative() || staleAfter.isNegative() || staleAfter.isZero()) {
            throw new IllegalArgumentException("maxOffset must be >= 0 and staleAfter > 0: " + maxOffset + ", " + staleAfter);
        }
        this.toleranceNanos = maxOffset.toNanos() / 5 * 4;
        this.staleAfterNanos = staleAfter.toNanos();
    }

    /**
     * The measurement of one round trip; times in nanoseconds of the local physical clock
     * ({@code sent}, {@code received}) and the peer's ({@code remote}).
     *
     * @throws IllegalArgumentException if {@code received < sent} (the clock stepped back: no measurement)
     */
    public static Measurement measure(long sentNanos, long remoteNanos, long receivedNanos) {
        if (receivedNanos < sentNanos) {
            throw new IllegalArgumentException("the clock went back during the round trip: " + sentNanos + " > " + receivedNanos);
        }
        long half = (receivedNanos - sentNanos) / 2;
        return new Measurement(remoteNanos - (sentNanos + half), half, receivedNanos);
    }

    /** Keeps {@code m} as the latest measurement of {@code peer}. */
    public void record(long peer, Measurement m) {
        latest.put(peer, Objects.requireNonNull(m, "m"));
    }

    /** Drops what is known of {@code peer} (it left the cluster). */
    public void forget(long peer) {
        latest.remove(peer);
    }

    /** The latest measurement of {@code peer}, if any. */
    public Optional<Measurement> of(long peer) {
        return Optional.ofNullable(latest.get(peer));
    }

    /** The tolerance: 80% of max-offset, in nanoseconds. */
    public long toleranceNanos() {
        return toleranceNanos;
    }

    /**
     * The verdict over {@code peers} (the other nodes this node knows of) from the
     * measurements taken since {@code nowNanos - staleAfter}.
     */
    public Verdict verdict(long nowNanos, Collection<Long> peers) {
        int counted = 0;
        Map<Long, Measurement> beyond = new TreeMap<>();
        for (long peer : new TreeSet<>(peers)) {
            Measurement m = latest.get(peer);
            if (m != null && nowNanos - m.measuredAtNanos() > staleAfterNanos) {
                continue;
            }
            counted++;
            if (m != null && m.beyond(toleranceNanos)) {
                beyond.put(peer, m);
            }
        }
        boolean healthy = counted < 2 || beyond.size() * 2 <= counted;
        return new Verdict(healthy, counted, Collections.unmodifiableMap(beyond), toleranceNanos);
    }
}
