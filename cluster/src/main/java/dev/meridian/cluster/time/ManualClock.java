package dev.meridian.cluster.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link PhysicalClock} that moves only when told to: for tests and the simulator.
 * Thread-safe; readings are atomic.
 */
public final class ManualClock implements PhysicalClock {

    private final AtomicLong nanos;

    /** A clock reading {@code startNanos}. */
    public ManualClock(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long nowNanos() {
        return nanos.get();
    }

    /**
     * Sets the reading. It may move backwards, as a real clock stepped by NTP can; that is what
     * lets tests check that the {@link HybridClock} never does.
     */
    public void set(long nowNanos) {
        nanos.set(nowNanos);
    }

    /**
     * Moves the clock forward by {@code d} and returns the new reading.
     *
     * @throws IllegalArgumentException if {@code d} is negative (use {@link #set} to go back)
     * @throws ArithmeticException      if the reading would overflow
     */
    public long advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("cannot advance by a negative duration: " + d);
        }
        long delta = d.toNanos();
        return nanos.updateAndGet(n -> Math.addExact(n, delta));
    }
}
