package dev.meridian.cluster.replica;

import java.time.Duration;

/**
 * Settings of a store's replicas.
 *
 * @param maxOffset          the cluster's bound on clock differences between nodes
 * @param leaseDuration      how long a lease lasts; holders extend it when half is left
 * @param latchTimeout       how long a request waits for conflicting requests before UNAVAILABLE
 * @param proposalTimeout    how long a request waits for its command to apply before AMBIGUOUS_RESULT
 * @param replicationFactor  voters every range should have, as nodes allow
 */
public record StoreConfig(Duration maxOffset, Duration leaseDuration, Duration latchTimeout, Duration proposalTimeout,
                          int replicationFactor) {

    public StoreConfig {
        if (leaseDuration.compareTo(maxOffset.multipliedBy(2)) <= 0) {
            throw new IllegalArgumentException("lease duration " + leaseDuration + " must exceed twice the max offset "
                    + maxOffset);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1: " + replicationFactor);
        }
    }

    /** 250 ms max offset, 6 s leases, 10 s latch and proposal timeouts, three replicas. */
    public static StoreConfig defaults() {
        return new StoreConfig(Duration.ofMillis(250), Duration.ofSeconds(6), Duration.ofSeconds(10),
                Duration.ofSeconds(10), 3);
    }

    public StoreConfig withMaxOffset(Duration d) {
        return new StoreConfig(d, leaseDuration, latchTimeout, proposalTimeout, replicationFactor);
    }

    public StoreConfig withLeaseDuration(Duration d) {
        return new StoreConfig(maxOffset, d, latchTimeout, proposalTimeout, replicationFactor);
    }

    public StoreConfig withReplicationFactor(int n) {
        return new StoreConfig(maxOffset, leaseDuration, latchTimeout, proposalTimeout, n);
    }
}
