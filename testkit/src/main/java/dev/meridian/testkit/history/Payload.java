package dev.meridian.testkit.history;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an operation does, by workload: register ({@link Read}, {@link Write}, {@link Cas}), bank
 * ({@link Transfer}, {@link ReadAll}) and list-append ({@link Txn}). An invocation carries what
 * the client asked; a completion carries what it observed (read values filled in).
 */
public sealed interface Payload {

    /** The function name used in the text format: read, write, cas, transfer, read-all, txn. */
    String function();

    /** Register read; {@code value} is null in the invocation, and null in an ok read of an unset register. */
    record Read(String key, Long value) implements Payload {
        public Read {
            checkName(key);
        }

        @Override
        public String function() {
            return "read";
        }
    }

    /** Register write. */
    record Write(String key, long value) implements Payload {
        public Write {
            checkName(key);
        }

        @Override
        public String function() {
            return "write";
        }
    }

    /** Register compare-and-set: set to {@code next} if the value is {@code expected}. */
    record Cas(String key, long expected, long next) implements Payload {
        public Cas {
            checkName(key);
        }

        @Override
        public String function() {
            return "cas";
        }
    }

    /** Bank transfer of {@code amount} from one account to another. */
    record Transfer(String from, String to, long amount) implements Payload {
        public Transfer {
            checkName(from);
            checkName(to);
        }

        @Override
        public String function() {
            return "transfer";
        }
    }

    /**
     * Bank read of every account. {@code balances} is null while unknown (the invocation); a
     * balance may be null when the database returned no value for an account (a bad read).
     */
    record ReadAll(SortedMap<String, Long> balances) implements Payload {
        public ReadAll {
            if (balances != null) {
                balances.keySet().forEach(Payload::checkName);
                balances = Collections.unmodifiableSortedMap(new TreeMap<>(balances));
            }
        }

        /** The invocation of a read of all accounts. */
        public static ReadAll pending() {
            return new ReadAll(null);
        }

        @Override
        public String function() {
            return "read-all";
        }
    }

    /** A list-append transaction of micro-operations, in order. */
    record Txn(List<MicroOp> ops) implements Payload {
        public Txn {
            if (ops.isEmpty()) {
                throw new IllegalArgumentException("a transaction needs at least one micro-operation");
            }
            ops = List.copyOf(ops);
        }

        @Override
        public String function() {
            return "txn";
        }
    }

    /** Keys and account names must survive the text format: no blanks, no separators. */
    static String checkName(String name) {
        if (name == null || name.isEmpty() || name.equals("nil")
                || name.chars().anyMatch(c -> Character.isWhitespace(c) || ";=[],@#".indexOf(c) >= 0)) {
            throw new IllegalArgumentException("bad key or account name '" + name
                    + "': must be non-empty, not 'nil', without blanks or any of ;=[],@#");
        }
        return name;
    }
}
