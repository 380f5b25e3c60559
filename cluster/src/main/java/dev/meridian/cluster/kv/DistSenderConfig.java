package dev.meridian.cluster.kv;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link DistSender}.
 *
 * @param deadline          how long one batch may take, retries included; then a read fails
 *                          UNAVAILABLE and a write whose outcome is unknown AMBIGUOUS_RESULT
 * @param backoffInitial    the wait before the first retry that needs one (re-splitting after
 *                          RANGE_KEY_MISMATCH, a new descriptor lookup after every replica
 *                          failed, UNAVAILABLE); trying the next replica does not wait
 * @param backoffMax        the wait grows by {@code backoffMultiplier} per retry up to this
 * @param backoffMultiplier growth of the wait per retry, at least 1
 * @param rangeCacheSize    how many range descriptors the cache holds at most
 */
public record DistSenderConfig(Duration deadline, Duration backoffInitial, Duration backoffMax,
                               double backoffMultiplier, long rangeCacheSize) {

    public DistSenderConfig {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(backoffInitial, "backoffInitial");
        Objects.requireNonNull(backoffMax, "backoffMax");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive: " + deadline);
        }
        if (backoffInitial.isNegative() || backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoff " + backoffInitial + ".." + backoffMax);
        }
        if (!(backoffMultiplier >= 1.0) || Double.isInfinite(backoffMultiplier)) {
            throw new IllegalArgumentException("backoffMultiplier must be at least 1: " + backoffMultiplier);
        }
        if (rangeCacheSize <= 0) {
            throw new IllegalArgumentException("rangeCacheSize must be positive: " + rangeCacheSize);
        }
    }

    /** 10 s per batch, backoff 10 ms doubling to 1 s, 100,000 cached ranges. */
    public static DistSenderConfig defaults() {
        return new DistSenderConfig(Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofSeconds(1), 2.0,
                100_000);
    }

    public DistSenderConfig withDeadline(Duration d) {
        return new DistSenderConfig(d, backoffInitial, backoffMax, backoffMultiplier, rangeCacheSize);
    }

    public DistSenderConfig withBackoff(Duration initial, Duration max, double multiplier) {
        return new DistSenderConfig(deadline, initial, max, multiplier, rangeCacheSize);
    }

    public DistSenderConfig withRangeCacheSize(long size) {
        return new DistSenderConfig(deadline, backoffInitial, backoffMax, backoffMultiplier, size);
    }
}
