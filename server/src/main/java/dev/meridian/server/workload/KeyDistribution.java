package dev.meridian.server.workload;

import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/** How a workload picks key numbers in {@code [0, keys)}. */
public enum KeyDistribution {
    /** Every key equally likely. */
    UNIFORM,
    /** Zipfian with exponent {@value ZipfianGenerator#THETA}: key 0 hottest, then 1, and so on. */
    ZIPF;

    /** The name on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The distribution named {@code name} on the command line.
     *
     * @throws IllegalArgumentException naming the accepted values if there is no such distribution
     */
    public static KeyDistribution fromCliName(String name) {
        for (KeyDistribution d : values()) {
            if (d.cliName().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown distribution '" + name + "'; expected one of "
                + Arrays.stream(values()).map(KeyDistribution::cliName).collect(Collectors.joining(", ")));
    }

    /** A chooser over {@code [0, keys)}; it is thread-safe, each caller bringing its own random source. */
    KeyChooser chooser(long keys) {
        return switch (this) {
            case UNIFORM -> random -> random.nextLong(keys);
            case ZIPF -> new ZipfianGenerator(keys)::next;
        };
    }

    /** Draws a key number from a caller's random source. */
    @FunctionalInterface
    interface KeyChooser {
        long next(RandomGenerator random);
    }
}
