package dev.meridian.server.workload;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@code workload kv} does: how many closed-loop workers, for how long, which mix of gets
 * and puts over how many keys. Validated on construction; a bad value throws
 * {@link IllegalArgumentException} naming the command-line option it came from.
 *
 * @param concurrency  workers, each with one operation in flight (at least 1)
 * @param duration     the measured part of the run (positive)
 * @param ramp         a warm-up before it, excluded from the statistics, over which workers start
 *                     one after another (zero or more)
 * @param readPercent  the chance, 0..100, that an operation is a get rather than a put
 * @param keys         the key space: key numbers are drawn from {@code [0, keys)} (at least 1)
 * @param valueBytes   the size of every value written (at least 1)
 * @param seed         seeds every worker's random source: the same seed draws the same sequence
 *                     of operations, keys and values per worker
 * @param batch        gets or puts sent together per operation; 1 sends single requests, more
 *                     sends one batch request (at least 1)
 * @param distribution how key numbers are drawn
 * @param init         write every key once, with {@code concurrency} workers, before the run
 */
public record KvWorkloadConfig(int concurrency, Duration duration, Duration ramp, int readPercent, long keys,
                               int valueBytes, long seed, int batch, KeyDistribution distribution, boolean init) {

    public KvWorkloadConfig {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(ramp, "ramp");
        Objects.requireNonNull(distribution, "distribution");
        require(concurrency >= 1, "--concurrency must be at least 1 (was " + concurrency + ")");
        require(duration.isPositive(), "--duration must be positive (was " + DurationArg.format(duration) + ")");
        require(!ramp.isNegative(), "--ramp must not be negative (was " + DurationArg.format(ramp) + ")");
        require(readPercent >= 0 && readPercent <= 100,
                "--read-percent must be between 0 and 100 (was " + readPercent + ")");
        require(keys >= 1, "--keys must be at least 1 (was " + keys + ")");
        require(valueBytes >= 1, "--value-bytes must be at least 1 (was " + valueBytes + ")");
        require(batch >= 1, "--batch must be at least 1 (was " + batch + ")");
    }

    /** The command's defaults: 8 workers, 10s, no ramp, 50% reads, 100000 keys of 128-byte values. */
    public static KvWorkloadConfig defaults(long seed) {
        return new KvWorkloadConfig(8, Duration.ofSeconds(10), Duration.ZERO, 50, 100_000, 128, seed, 1,
                KeyDistribution.UNIFORM, false);
    }

    /** This configuration with {@code concurrency} replaced; validated like the constructor. */
    public KvWorkloadConfig withConcurrency(int n) {
        return new KvWorkloadConfig(n, duration, ramp, readPercent, keys, valueBytes, seed, batch, distribution, init);
    }

    /** This configuration with {@code duration} replaced; validated like the constructor. */
    public KvWorkloadConfig withDuration(Duration d) {
        return new KvWorkloadConfig(concurrency, d, ramp, readPercent, keys, valueBytes, seed, batch, distribution, init);
    }

    /** This configuration with {@code ramp} replaced; validated like the constructor. */
    public KvWorkloadConfig withRamp(Duration r) {
        return new KvWorkloadConfig(concurrency, duration, r, readPercent, keys, valueBytes, seed, batch, distribution, init);
    }

    /** This configuration with {@code readPercent} replaced; validated like the constructor. */
    public KvWorkloadConfig withReadPercent(int p) {
        return new KvWorkloadConfig(concurrency, duration, ramp, p, keys, valueBytes, seed, batch, distribution, init);
    }

    /** This configuration with {@code keys} replaced; validated like the constructor. */
    public KvWorkloadConfig withKeys(long k) {
        return new KvWorkloadConfig(concurrency, duration, ramp, readPercent, k, valueBytes, seed, batch, distribution, init);
    }

    /** This configuration with {@code valueBytes} replaced; validated like the constructor. */
    public KvWorkloadConfig withValueBytes(int b) {
        return new KvWorkloadConfig(concurrency, duration, ramp, readPercent, keys, b, seed, batch, distribution, init);
    }

    /** This configuration with {@code batch} replaced; validated like the constructor. */
    public KvWorkloadConfig withBatch(int b) {
        return new KvWorkloadConfig(concurrency, duration, ramp, readPercent, keys, valueBytes, seed, b, distribution, init);
    }

    /** This configuration with {@code distribution} replaced; validated like the constructor. */
    public KvWorkloadConfig withDistribution(KeyDistribution d) {
        return new KvWorkloadConfig(concurrency, duration, ramp, readPercent, keys, valueBytes, seed, batch, d, init);
    }

    /** This configuration with {@code init} replaced; validated like the constructor. */
    public KvWorkloadConfig withInit(boolean i) {
        return new KvWorkloadConfig(concurrency, duration, ramp, readPercent, keys, valueBytes, seed, batch, distribution, i);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
