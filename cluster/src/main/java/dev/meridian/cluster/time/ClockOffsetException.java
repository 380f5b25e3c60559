package dev.meridian.cluster.time;

import dev.meridian.storage.mvcc.Timestamp;

import java.time.Duration;

/**
 * A remote clock reading was further ahead of the local physical clock than the cluster's
 * max-offset allows. The {@link HybridClock} refused it and did not change; the message that
 * carried it must be refused too, since accepting it would let this node hand out timestamps
 * beyond the uncertainty bound that reads rely on.
 */
public final class ClockOffsetException extends RuntimeException {

    private final Timestamp remote;
    private final long physicalNanos;
    private final Duration maxOffset;

    /** Built by {@link HybridClock#update}. */
    ClockOffsetException(Timestamp remote, long physicalNanos, Duration maxOffset) {
        super("remote clock reading " + remote + " is " + (remote.wallNanos() - physicalNanos)
                + "ns ahead of the local physical clock " + physicalNanos + ", more than max-offset " + maxOffset);
        this.remote = remote;
        this.physicalNanos = physicalNanos;
        this.maxOffset = maxOffset;
    }

    /** The refused remote reading. */
    public Timestamp remote() {
        return remote;
    }

    /** The local physical clock when the reading was refused. */
    public long physicalNanos() {
        return physicalNanos;
    }

    /** The bound that was exceeded. */
    public Duration maxOffset() {
        return maxOffset;
    }
}
