package dev.meridian.cluster.replica.latch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;

/**
 * One request's place in the {@link SpanLatchManager}: its spans, the earlier conflicting
 * requests it still waits for, and the later ones that wait for it. Every field is guarded by
 * the manager's lock.
 */
final class LatchRequest implements LatchGuard {

    private final SpanLatchManager manager;
    private final List<LatchSpan> spans;
    final Condition ready;
    /** Earlier conflicting requests not yet finished. */
    int pending;
    /** The earlier conflicting requests, so that an abandoned request can unregister from them. */
    final List<LatchRequest> waitingOn = new ArrayList<>();
    /** Later requests that counted this one in their {@code pending}. */
    final List<LatchRequest> dependents = new ArrayList<>();
    /** The request whose conflicts are being collected, to count each conflict once. */
    LatchRequest visitedBy;
    /** Released, timed out or interrupted: no longer in the index. */
    boolean finished;

    LatchRequest(SpanLatchManager manager, List<LatchSpan> spans, Condition ready) {
        this.manager = manager;
        this.spans = spans;
        this.ready = ready;
    }

    List<LatchSpan> spans() {
        return spans;
    }

    @Override
    public void close() {
        manager.release(this);
    }

    @Override
    public String toString() {
        return "LatchRequest" + spans;
    }
}
