package dev.meridian.server.workload;

import java.util.random.RandomGenerator;

/**
 * Zipfian key numbers over {@code [0, n)}: number {@code i} is drawn with probability
 * proportional to {@code 1 / (i + 1)^THETA}, so 0 is the hottest key. Uses the closed-form
 * approximation of Gray et al., "Quickly Generating Billion-Record Synthetic Databases" (SIGMOD
 * 1994): exact for the two hottest keys, approximate in the tail, O(1) per draw after an O(n)
 * setup. Immutable and thread-safe; randomness comes from the caller.
 */
final class ZipfianGenerator {

    /** The skew; 0.99 is the usual choice of YCSB-style benchmarks. */
    static final double THETA = 0.99;

    private final long n;
    private final double zetaN;
    private final double alpha;
    private final double eta;
    private final double secondThreshold;

    ZipfianGenerator(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("a zipfian distribution needs at least one key, not " + n);
        }
        this.n = n;
        this.zetaN = zeta(n);
        double zeta2 = zeta(Math.min(n, 2));
        this.alpha = 1 / (1 - THETA);
        // With n <= 2 the tail formula is never reached (the two thresholds cover every draw).
        this.eta = n <= 2 ? 0 : (1 - Math.pow(2.0 / n, 1 - THETA)) / (1 - zeta2 / zetaN);
        this.secondThreshold = 1 + Math.pow(0.5, THETA);
    }

    /** A key number in {@code [0, n)}. */
    long next(RandomGenerator random) {
        double u = random.nextDouble();
        double uz = u * zetaN;
        if (uz < 1) {
            return 0;
        }
        if (uz < secondThreshold || n <= 2) {
            return Math.min(1, n - 1);
        }
        long k = (long) (n * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(Math.max(k, 0), n - 1);
    }

    /** The generalized harmonic number: sum of 1 / i^THETA for i in 1..count. */
    private static double zeta(long count) {
        double sum = 0;
        for (long i = 1; i <= count; i++) {
            sum += 1 / Math.pow(i, THETA);
        }
        return sum;
    }
}
