package dev.meridian.server.workload;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ZipfianGeneratorTest {

    @Test
    void staysInRangeAndKeyZeroIsTheMostFrequent() {
        int n = 1000;
        ZipfianGenerator zipf = new ZipfianGenerator(n);
        SplittableRandom random = new SplittableRandom(1);
        long[] counts = new long[n];
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            long k = zipf.next(random);
            assertThat(k).isBetween(0L, n - 1L);
            counts[(int) k]++;
        }
        long max = IntStream.range(0, n).mapToLong(i -> counts[i]).max().orElseThrow();
        assertThat(counts[0]).isEqualTo(max);
        // Uniform would give each key 0.1%; zipf(0.99) gives key 0 about 13%, key 1 about half that.
        assertThat(counts[0]).isGreaterThan(draws / 10);
        assertThat(counts[1]).isGreaterThan(counts[10]).isGreaterThan(draws / 20);
        assertThat(counts[10]).isGreaterThan(counts[900]);
        // The tail is reached, not just the head.
        assertThat(IntStream.range(500, n).mapToLong(i -> counts[i]).sum()).isPositive();
    }

    @Test
    void tinyKeySpacesStayInRange() {
        SplittableRandom random = new SplittableRandom(2);
        for (long n = 1; n <= 3; n++) {
            ZipfianGenerator zipf = new ZipfianGenerator(n);
            for (int i = 0; i < 10_000; i++) {
                assertThat(zipf.next(random)).isBetween(0L, n - 1);
            }
        }
        assertThatThrownBy(() -> new ZipfianGenerator(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
