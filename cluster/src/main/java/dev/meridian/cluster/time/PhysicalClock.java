package dev.meridian.cluster.time;

import java.time.Instant;

/**
 * A source of wall-clock time: nanoseconds since the Unix epoch. The only way Meridian code
 * reads the time of day, so that tests and the simulator can substitute a {@link ManualClock}.
 *
 * <p>Readings need not be monotonic (NTP may step the system clock back); the
 * {@link HybridClock} built on top keeps its own readings monotonic. Implementations must be
 * safe to call from any thread.
 */
@FunctionalInterface
public interface PhysicalClock {

    /** The current wall time in nanoseconds since the Unix epoch. */
    long nowNanos();

    /**
     * The machine's clock, at the best resolution the JVM offers ({@link Instant#now()}). This
     * is the one place in the cluster module that reads the system time.
     */
    static PhysicalClock system() {
        return () -> {
            Instant now = Instant.now();
            return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
        };
    }
}
