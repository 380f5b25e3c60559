package dev.meridian.server;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnitAccess;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * The determinism rule of BRIEF.md as an ArchUnit rule: logic code takes its clock, scheduler,
 * randomness and transport from its caller, and never iterates a collection whose order depends
 * on hashing, so that a seeded simulator replays a run exactly.
 *
 * <p>Hash-ordered collections are refused at construction: telling a lookup-only {@code HashMap}
 * from one that is iterated is beyond a static check, and {@code LinkedHashMap} or
 * {@code TreeMap} cost little. {@code Set.of} and {@code Map.of} are refused too: their iteration
 * order is salted per JVM.
 */
final class DeterminismRule {

    /** A forbidden call: the owning type and the method name ("<init>" for constructors). */
    record Forbidden(String owner, String name, String why) {
    }

    static final List<Forbidden> FORBIDDEN = List.of(
            new Forbidden("java.lang.System", "currentTimeMillis", "read time from the injected clock"),
            new Forbidden("java.lang.System", "nanoTime", "read time from the injected clock"),
            new Forbidden("java.lang.System", "identityHashCode", "identity hashes differ between runs"),
            new Forbidden("java.time.Instant", "now", "read time from the injected clock"),
            new Forbidden("java.time.LocalDateTime", "now", "read time from the injected clock"),
            new Forbidden("java.time.LocalDate", "now", "read time from the injected clock"),
            new Forbidden("java.time.OffsetDateTime", "now", "read time from the injected clock"),
            new Forbidden("java.time.ZonedDateTime", "now", "read time from the injected clock"),
            new Forbidden("java.time.Clock", "systemUTC", "take a clock as a parameter"),
            new Forbidden("java.time.Clock", "systemDefaultZone", "take a clock as a parameter"),
            new Forbidden("java.lang.Thread", "<init>", "take a scheduler as a parameter"),
            new Forbidden("java.lang.Thread", "start", "take a scheduler as a parameter"),
            new Forbidden("java.lang.Thread", "sleep", "take a scheduler as a parameter"),
            new Forbidden("java.lang.Thread", "ofVirtual", "take a scheduler as a parameter"),
            new Forbidden("java.lang.Thread", "ofPlatform", "take a scheduler as a parameter"),
            new Forbidden("java.lang.Thread", "startVirtualThread", "take a scheduler as a parameter"),
            new Forbidden("java.util.concurrent.Executors", "*", "take a scheduler as a parameter"),
            new Forbidden("java.util.concurrent.ThreadPoolExecutor", "<init>", "take a scheduler as a parameter"),
            new Forbidden("java.util.concurrent.ScheduledThreadPoolExecutor", "<init>", "take a scheduler as a parameter"),
            new Forbidden("java.util.concurrent.ForkJoinPool", "*", "take a scheduler as a parameter"),
            new Forbidden("java.util.concurrent.CompletableFuture", "supplyAsync", "take a scheduler as a parameter"),
            new Forbidden("java.util.concurrent.CompletableFuture", "runAsync", "take a scheduler as a parameter"),
            new Forbidden("java.util.concurrent.ThreadLocalRandom", "*", "take a seeded random source as a parameter"),
            new Forbidden("java.lang.Math", "random", "take a seeded random source as a parameter"),
            new Forbidden("java.lang.StrictMath", "random", "take a seeded random source as a parameter"),
            new Forbidden("java.util.UUID", "randomUUID", "take a seeded random source as a parameter"),
            new Forbidden("java.util.HashMap", "<init>", "hash order is not deterministic; use LinkedHashMap or TreeMap"),
            new Forbidden("java.util.HashSet", "<init>", "hash order is not deterministic; use LinkedHashSet or TreeSet"),
            new Forbidden("java.util.concurrent.ConcurrentHashMap", "<init>", "hash order is not deterministic"),
            new Forbidden("java.util.Set", "of", "Set.of iterates in a per-JVM salted order"),
            new Forbidden("java.util.Set", "copyOf", "Set.copyOf iterates in a per-JVM salted order"),
            new Forbidden("java.util.Map", "of", "Map.of iterates in a per-JVM salted order"),
            new Forbidden("java.util.Map", "ofEntries", "Map.ofEntries iterates in a per-JVM salted order"),
            new Forbidden("java.util.Map", "copyOf", "Map.copyOf iterates in a per-JVM salted order"),
            new Forbidden("java.util.stream.Collectors", "toSet", "collects into a HashSet"),
            new Forbidden("java.util.stream.Collectors", "toUnmodifiableSet", "collects into a salted set"),
            new Forbidden("java.util.stream.Collectors", "toMap", "collects into a HashMap unless a map factory is given"),
            new Forbidden("java.util.stream.Collectors", "toUnmodifiableMap", "collects into a salted map"),
            new Forbidden("java.util.stream.Collectors", "groupingBy", "collects into a HashMap unless a map factory is given"));

    /** A {@code new Random()} without a seed is as bad as Math.random(); a seeded one is fine. */
    private static final Set<String> UNSEEDED_RANDOM = Set.of("java.util.Random", "java.security.SecureRandom");

    private DeterminismRule() {
    }

    static ArchRule forPackages(String... packages) {
        return classes().that().resideInAnyPackage(packages)
                .should(beDeterministic())
                .allowEmptyShould(true)
                .because("logic modules must replay exactly under a seeded simulator (BRIEF.md, the determinism rule)");
    }

    static ArchCondition<JavaClass> beDeterministic() {
        return new ArchCondition<>("take clock, scheduler and randomness from their caller and not iterate hash order") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                for (JavaCodeUnitAccess<?> call : item.getCodeUnitCallsFromSelf()) {
                    String owner = call.getTargetOwner().getName();
                    String name = call.getName();
                    String why = violation(owner, name, call);
                    if (why != null) {
                        events.add(SimpleConditionEvent.violated(call,
                                call.getDescription() + ": " + why));
                    }
                }
            }
        };
    }

    private static String violation(String owner, String name, JavaAccess<?> call) {
        for (Forbidden f : FORBIDDEN) {
            if (f.owner().equals(owner) && (f.name().equals("*") || f.name().equals(name))) {
                if (f.owner().equals("java.util.stream.Collectors")
                        && (name.equals("toMap") || name.equals("groupingBy"))
                        && takesMapFactory(call)) {
                    return null;
                }
                return f.why();
            }
        }
        if (UNSEEDED_RANDOM.contains(owner) && name.equals("<init>")
                && call instanceof JavaCodeUnitAccess<?> cu
                && cu.getTarget().getRawParameterTypes().isEmpty()) {
            return "an unseeded random source; take a seeded one as a parameter";
        }
        return null;
    }

    /** toMap(k, v, merge, factory) and groupingBy(f, factory, downstream) name their map. */
    private static boolean takesMapFactory(JavaAccess<?> call) {
        if (call instanceof JavaCodeUnitAccess<?> cu) {
            int params = cu.getTarget().getRawParameterTypes().size();
            return cu.getName().equals("toMap") ? params == 4 : params == 3;
        }
        return false;
    }
}
