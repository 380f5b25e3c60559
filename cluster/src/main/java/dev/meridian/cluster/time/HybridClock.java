package dev.meridian.cluster.time;

import dev.meridian.storage.mvcc.Timestamp;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

import java.time.Duration;
import java.util.Objects;

/**
 * A hybrid logical clock (HLC) over an injected {@link PhysicalClock}: one per node.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #now()} is strictly increasing across all calls on this clock, from any thread,
 *       even when the physical clock steps backwards: the wall part is the larger of the
 *       physical clock and the last reading, and the logical part counts up while the wall part
 *       stands still.</li>
 *   <li>{@link #update(Timestamp)} merges a remote reading so that every later {@code now()}
 *       is above it (causality across nodes). It never moves the clock backwards.</li>
 *   <li>A remote reading whose wall time is more than {@code maxOffset} ahead of the local
 *       physical clock is refused with a {@link ClockOffsetException} and changes nothing.
 *       Taking it would make this node's readings run ahead of real time by more than the
 *       bound that read uncertainty intervals and commit-wait assume (BRIEF.md, "Time").</li>
 * </ul>
 *
 * <p>Thread-safe. Never reads the system clock itself (the determinism rule): time comes only
 * from the injected physical clock.
 *
 * <p>Metrics: {@code meridian.hlc.updates} (remote readings merged),
 * {@code meridian.hlc.updates.forwarded} (merges that moved the clock forward) and
 * {@code meridian.hlc.updates.refused} (readings refused for exceeding max-offset).
 */
public final class HybridClock {

    private final PhysicalClock physical;
    private final Duration maxOffset;
    private final long maxOffsetNanos;
    private final LongCounter updates;
    private final LongCounter forwarded;
    private final LongCounter refused;

    private final Object lock = new Object();
    // Guarded by lock: the last reading handed out or merged.
    private Timestamp last = Timestamp.ZERO;

    /** A clock without metrics. */
    public HybridClock(PhysicalClock physical, Duration maxOffset) {
        this(physical, maxOffset, OpenTelemetry.noop());
    }

    /**
     * @param physical  the wall clock under this HLC
     * @param maxOffset the cluster's bound on the clock difference between nodes, {@code >= 0}
     * @param otel      where the metrics go
     * @throws IllegalArgumentException if {@code maxOffset} is negative or too large for nanoseconds
     */
    public HybridClock(PhysicalClock physical, Duration maxOffset, OpenTelemetry otel) {
        this.physical = Objects.requireNonNull(physical, "physical");
        Objects.requireNonNull(maxOffset, "maxOffset");
        if (maxOffset.isNegative()) {
            throw new IllegalArgumentException("max-offset must not be negative: " + maxOffset);
        }
        try {
            this.maxOffsetNanos = maxOffset.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("max-offset does not fit in nanoseconds: " + maxOffset, e);
        }
        this.maxOffset = maxOffset;
        Meter meter = otel.getMeter("dev.meridian.cluster.time");
        updates = meter.counterBuilder("meridian.hlc.updates")
                .setDescription("remote clock readings merged into the HLC").build();
        forwarded = meter.counterBuilder("meridian.hlc.updates.forwarded")
                .setDescription("merged remote readings that moved the HLC forward").build();
        refused = meter.counterBuilder("meridian.hlc.updates.refused")
                .setDescription("remote clock readings refused for being more than max-offset ahead").build();
    }

    /** A reading above every reading this clock has returned or merged before. */
    public Timestamp now() {
        long wall = physical.nowNanos();
        synchronized (lock) {
            last = wall > last.wallNanos() ? Timestamp.ofWall(wall) : last.next();
            return last;
        }
    }

    /**
     * Merges a remote clock reading (from any message that carries one): every later
     * {@link #now()} is above {@code remote}. A reading at or below the clock changes nothing.
     *
     * @throws ClockOffsetException if {@code remote}'s wall time is more than max-offset ahead of
     *                              the local physical clock; the clock is unchanged
     */
    public void update(Timestamp remote) {
        Objects.requireNonNull(remote, "remote");
        long wall = physical.nowNanos();
        // Both are non-negative, so the difference cannot overflow.
        if (remote.wallNanos() - wall > maxOffsetNanos) {
            refused.add(1);
            throw new ClockOffsetException(remote, wall, maxOffset);
        }
        boolean moved;
        synchronized (lock) {
            moved = last.less(remote);
            if (moved) {
                last = remote;
            }
        }
        updates.add(1);
        if (moved) {
            forwarded.add(1);
        }
    }

    /** The cluster's bound on clock differences that this clock enforces. */
    public Duration maxOffset() {
        return maxOffset;
    }

    /** The underlying physical clock's reading (no HLC state is read or changed). */
    public long physicalNanos() {
        return physical.nowNanos();
    }
}
