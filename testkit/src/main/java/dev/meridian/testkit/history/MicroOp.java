package dev.meridian.testkit.history;

import java.util.List;
import java.util.Objects;

/** One step of a list-append transaction. */
public sealed interface MicroOp {

    String key();

    /** Appends {@code value} to the list at {@code key}; values are unique per key. */
    record Append(String key, long value) implements MicroOp {
        public Append {
            Payload.checkName(key);
        }
    }

    /**
     * Reads the list at {@code key}; {@code observed} is null while unknown (in an invocation, or
     * in a transaction whose outcome is unknown).
     */
    record Read(String key, List<Long> observed) implements MicroOp {
        public Read {
            Payload.checkName(key);
            if (observed != null) {
                observed.forEach(Objects::requireNonNull);
                observed = List.copyOf(observed);
            }
        }

        /** A read whose result is not known yet. */
        public static Read of(String key) {
            return new Read(key, null);
        }
    }

    static Append append(String key, long value) {
        return new Append(key, value);
    }

    static Read read(String key, List<Long> observed) {
        return new Read(key, observed);
    }
}
