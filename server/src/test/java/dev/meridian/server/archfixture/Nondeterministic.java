package dev.meridian.server.archfixture;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Known-bad code for ArchitectureTest: each method breaks the determinism rule once. */
@SuppressWarnings("unused")
public final class Nondeterministic {
    long wallClock() {
        return System.currentTimeMillis();
    }

    long monotonicClock() {
        return System.nanoTime();
    }

    Thread ownThread() {
        return new Thread(() -> { });
    }

    Object ownExecutor() {
        return Executors.newFixedThreadPool(2);
    }

    int globalRandom() {
        return ThreadLocalRandom.current().nextInt();
    }

    double mathRandom() {
        return Math.random();
    }

    Map<String, Integer> hashOrder() {
        return new HashMap<>();
    }

    Set<String> saltedOrder() {
        return Set.of("a", "b");
    }

    Set<String> collectedHashSet() {
        return Stream.of("a").collect(Collectors.toSet());
    }

    Random unseeded() {
        return new Random();
    }

    // The allowed forms, which the rule must not report.
    Random seeded(long seed) {
        return new Random(seed);
    }

    Map<String, Integer> ordered() {
        return new TreeMap<>();
    }

    Map<String, String> collectedOrdered() {
        return Stream.of("a").collect(Collectors.toMap(s -> s, s -> s, (a, b) -> a, LinkedHashMap::new));
    }
}
