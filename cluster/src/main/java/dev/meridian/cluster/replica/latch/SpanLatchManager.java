package dev.meridian.cluster.replica.latch;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Latches that serialize conflicting requests on one replica: a request holds latches on the
 * spans it reads and writes while it is evaluated, so that no conflicting request runs at the
 * same time. Reads share with reads; a write conflicts with every overlapping read or write.
 *
 * <p><b>Fairness and deadlock freedom.</b> A request takes its place, for all its spans at once,
 * when it arrives, and then waits for every conflicting request that was already there, holding
 * or waiting. It never waits for a later request. So a writer queued behind readers holds off
 * the readers that come after it (no starvation), and the waits-for relation follows arrival
 * order and cannot form a cycle (no deadlock), whatever spans requests name. A request that
 * gives up (timeout, interrupt) leaves and its waiters stop waiting for it; they still wait for
 * every conflicting request they saw themselves, so mutual exclusion does not depend on it.
 *
 * <p>Thread-safe. One lock guards the index and the waiting state; waiting happens outside it.
 * The manager never reads a clock itself: waits are bounded through
 * {@link java.util.concurrent.locks.Condition#awaitNanos}.
 *
 * <p>Metrics: {@code meridian.latch.acquisitions}, {@code meridian.latch.waits} (acquisitions
 * that had to wait), {@code meridian.latch.timeouts}, and {@code meridian.latch.wait.duration}
 * (seconds, waits only).
 */
public final class SpanLatchManager {

    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private final LatchIndex index = new LatchIndex();
    private int requests;

    private final LongCounter acquisitions;
    private final LongCounter waits;
    private final LongCounter timeouts;
    private final DoubleHistogram waitSeconds;

    /** A manager without metrics. */
    public SpanLatchManager() {
        this(OpenTelemetry.noop());
    }

    /** A manager that reports to {@code otel}. */
    public SpanLatchManager(OpenTelemetry otel) {
        Meter meter = otel.getMeter("dev.meridian.cluster.replica.latch");
        acquisitions = meter.counterBuilder("meridian.latch.acquisitions")
                .setDescription("requests that acquired their latches").build();
        waits = meter.counterBuilder("meridian.latch.waits")
                .setDescription("acquisitions that waited for a conflicting request").build();
        timeouts = meter.counterBuilder("meridian.latch.timeouts")
                .setDescription("acquisitions that gave up (timeout or interrupt)").build();
        waitSeconds = meter.histogramBuilder("meridian.latch.wait.duration").setUnit("s")
                .setDescription("time spent waiting for conflicting requests").build();
    }

    /**
     * Acquires latches on all of {@code spans} together, waiting for every conflicting request
     * that arrived earlier to release.
     *
     * @param spans   the spans the request reads or writes; they may overlap each other
     * @param timeout how long to wait at most; zero means do not wait
     * @return the guard that releases the latches
     * @throws InterruptedException     if interrupted while waiting; nothing is held
     * @throws TimeoutException         if the conflicting requests did not release in time;
     *                                  nothing is held and nobody waits for this request
     * @throws IllegalArgumentException if {@code spans} is empty or {@code timeout} is negative
     */
    public LatchGuard acquire(List<LatchSpan> spans, Duration timeout) throws InterruptedException, TimeoutException {
        List<LatchSpan> copy = List.copyOf(spans);
        Objects.requireNonNull(timeout, "timeout");
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a latch request needs at least one span");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("latch timeout must not be negative: " + timeout);
        }
        long budget = saturatedNanos(timeout);
        lock.lock();
        try {
            LatchRequest request = new LatchRequest(this, copy, lock.newCondition());
            enqueueLocked(request);
            if (request.pending == 0) {
                acquisitions.add(1);
                return request;
            }
            return awaitLocked(request, budget, timeout);
        } finally {
            lock.unlock();
        }
    }

    /** How many requests hold or wait for latches now; for diagnostics and tests. */
    public int activeRequests() {
        lock.lock();
        try {
            return requests;
        } finally {
            lock.unlock();
        }
    }

    /** Counts the earlier conflicting requests, registers with them, and enters the index. */
    private void enqueueLocked(LatchRequest request) {
        for (LatchSpan span : request.spans()) {
            index.forEachOverlapping(span, held -> {
                LatchRequest earlier = held.request();
                if (earlier.visitedBy != request && held.span().conflictsWith(span)) {
                    earlier.visitedBy = request;
                    earlier.dependents.add(request);
                    request.waitingOn.add(earlier);
                    request.pending++;
                }
            });
        }
        index.add(request);
        requests++;
    }

    private LatchGuard awaitLocked(LatchRequest request, long budget, Duration timeout)
            throws InterruptedException, TimeoutException {
        waits.add(1);
        long remaining = budget;
        try {
            while (request.pending > 0 && remaining > 0) {
                remaining = request.ready.awaitNanos(remaining);
            }
        } catch (InterruptedException e) {
            abandonLocked(request, budget - remaining);
            throw e;
        }
        if (request.pending > 0) {
            abandonLocked(request, budget);
            throw new TimeoutException("latches " + request.spans() + " not acquired within " + timeout);
        }
        waitSeconds.record(Math.max(0, budget - remaining) / 1e9);
        acquisitions.add(1);
        return request;
    }

    private void abandonLocked(LatchRequest request, long waitedNanos) {
        timeouts.add(1);
        waitSeconds.record(Math.max(0, waitedNanos) / 1e9);
        finishLocked(request);
    }

    /** Called by {@link LatchRequest#close()}. */
    void release(LatchRequest request) {
        lock.lock();
        try {
            finishLocked(request);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the request out of the index, out of the dependent lists of the requests it still
     * waited for (when it gives up), and tells its own dependents; one that reached zero may run.
     */
    private void finishLocked(LatchRequest request) {
        if (request.finished) {
            return;
        }
        request.finished = true;
        index.remove(request);
        requests--;
        for (LatchRequest earlier : request.waitingOn) {
            if (!earlier.finished) {
                earlier.dependents.remove(request);
            }
        }
        request.waitingOn.clear();
        for (LatchRequest d : request.dependents) {
            if (!d.finished && --d.pending == 0) {
                d.waitingOn.clear();
                d.ready.signal();
            }
        }
        request.dependents.clear();
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
