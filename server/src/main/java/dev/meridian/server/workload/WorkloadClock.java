package dev.meridian.server.workload;

import java.time.Duration;

/**
 * Time as a workload sees it: a monotonic reading and a way to wait. Latencies, the ramp, the
 * per-second report and the end of the run all use it, so a test clock that runs faster than
 * real time shortens a whole run consistently. Implementations must be thread-safe.
 */
public interface WorkloadClock {

    /** A monotonic reading in nanoseconds; only differences mean anything. */
    long nanoTime();

    /** Waits about {@code nanos} nanoseconds of this clock's time (returns at once if not positive). */
    void sleepNanos(long nanos) throws InterruptedException;

    /** Waits until {@link #nanoTime()} reaches {@code deadline}. */
    default void sleepUntil(long deadline) throws InterruptedException {
        for (long now = nanoTime(); now - deadline < 0; now = nanoTime()) {
            sleepNanos(deadline - now);
        }
    }

    /** The JVM's monotonic clock and {@link Thread#sleep(Duration)}. */
    static WorkloadClock system() {
        return new WorkloadClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                if (nanos > 0) {
                    Thread.sleep(Duration.ofNanos(nanos));
                }
            }
        };
    }
}
