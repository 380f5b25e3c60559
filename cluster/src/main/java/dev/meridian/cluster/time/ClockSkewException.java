package dev.meridian.cluster.time;

/**
 * This node's clock is off from a majority of its peers by more than the cluster tolerates
 * (80% of max-offset): it must stop, since reads it serves could miss writes that happened
 * before them in real time. Fix the clock (NTP/chrony) and restart the node.
 */
public final class ClockSkewException extends RuntimeException {

    /** @param verdict the measurements that showed it */
    public ClockSkewException(ClockOffsets.Verdict verdict) {
        super(verdict.explanation());
    }
}
