package dev.meridian.server.workload;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A workload clock whose time moves only when the workload works: every {@link #nanoTime()}
 * reading advances it by {@code step}, and {@link #advance} adds an operation's simulated
 * latency. Waiting never moves it. A worker reads the clock twice per operation, so a "3 second"
 * run makes about 3s / (2 * step) operations however fast or loaded the machine is, and takes
 * only as long as those operations do.
 */
final class StepClock implements WorkloadClock {

    private final long step;
    private final AtomicLong now = new AtomicLong();

    StepClock(Duration step) {
        this.step = step.toNanos();
    }

    @Override
    public long nanoTime() {
        return now.addAndGet(step);
    }

    /** Simulated time spent inside an operation. */
    void advance(long nanos) {
        now.addAndGet(nanos);
    }

    @Override
    public void sleepNanos(long nanos) {
        sleepUntil(now.get() + nanos);
    }

    @Override
    public void sleepUntil(long deadline) {
        while (now.get() - deadline < 0) {
            LockSupport.parkNanos(20_000);
        }
    }
}
