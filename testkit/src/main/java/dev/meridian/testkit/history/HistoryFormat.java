package dev.meridian.testkit.history;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The text form of a history: one event per line, in order, so a failing history can be saved
 * and replayed by a test. Blank lines and lines starting with {@code #} are ignored.
 *
 * <pre>
 * # time process type function arguments
 * 100 p0 invoke write x 3
 * 120 p1 invoke read x nil
 * 130 p0 ok write x 3
 * 140 p1 ok read x 3
 * 150 p2 invoke cas x 3 4
 * 160 p2 info cas x 3 4
 * 170 p3 invoke transfer a b 5
 * 180 p4 invoke read-all nil
 * 190 p4 ok read-all a=10 b=nil c=5
 * 200 p5 invoke txn append x 1; read y nil
 * 210 p5 ok txn append x 1; read y [1,2]
 * </pre>
 *
 * Register functions: {@code read KEY VALUE|nil}, {@code write KEY VALUE},
 * {@code cas KEY EXPECTED NEXT}. Bank: {@code transfer FROM TO AMOUNT},
 * {@code read-all nil|ACCOUNT=BALANCE|nil ...}. List-append: {@code txn} then micro-operations
 * separated by {@code ;}: {@code append KEY VALUE} or {@code read KEY [V,V,...]|nil}. Values are
 * decimal longs; names have no blanks and none of {@code ;=[],@#}.
 */
public final class HistoryFormat {

    private HistoryFormat() {
    }

    public static String print(History history) {
        StringBuilder sb = new StringBuilder();
        for (Op op : history.ops()) {
            sb.append(printOp(op)).append('\n');
        }
        return sb.toString();
    }

    public static History parse(String text) {
        List<Op> ops = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                ops.add(parseOp(ops.size(), line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage() + ": " + line, e);
            }
        }
        return new History(ops);
    }

    public static History read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static void write(History history, Path file) throws IOException {
        Files.writeString(file, print(history), StandardCharsets.UTF_8);
    }

    /** One event as a line, without the trailing newline. */
    public static String printOp(Op op) {
        return op.time() + " p" + op.process() + " " + op.type().word() + " " + printPayload(op.payload());
    }

    /** The function and arguments, e.g. {@code cas x 1 2}. */
    public static String printPayload(Payload payload) {
        return switch (payload) {
            case Payload.Read r -> "read " + r.key() + " " + orNil(r.value());
            case Payload.Write w -> "write " + w.key() + " " + w.value();
            case Payload.Cas c -> "cas " + c.key() + " " + c.expected() + " " + c.next();
            case Payload.Transfer t -> "transfer " + t.from() + " " + t.to() + " " + t.amount();
            case Payload.ReadAll r -> "read-all " + printBalances(r);
            case Payload.Txn t -> "txn " + printMicroOps(t.ops());
        };
    }

    public static String printMicroOps(List<MicroOp> ops) {
        StringBuilder sb = new StringBuilder();
        for (MicroOp m : ops) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            switch (m) {
                case MicroOp.Append a -> sb.append("append ").append(a.key()).append(' ').append(a.value());
                case MicroOp.Read r -> sb.append("read ").append(r.key()).append(' ').append(printList(r.observed()));
            }
        }
        return sb.toString();
    }

    /** {@code [1,2,3]}, or {@code nil} for null. */
    public static String printList(List<Long> list) {
        if (list == null) {
            return "nil";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < list.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(list.get(i));
        }
        return sb.append(']').toString();
    }

    private static String printBalances(Payload.ReadAll r) {
        if (r.balances() == null) {
            return "nil";
        }
        StringBuilder sb = new StringBuilder();
        r.balances().forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(orNil(v)));
        return sb.toString();
    }

    private static String orNil(Long v) {
        return v == null ? "nil" : v.toString();
    }

    private static Op parseOp(int index, String line) {
        String[] t = line.split("\\s+", 5);
        if (t.length < 4) {
            throw new IllegalArgumentException("expected: TIME pPROCESS TYPE FUNCTION ARGS");
        }
        long time = Long.parseLong(t[0]);
        if (!t[1].startsWith("p")) {
            throw new IllegalArgumentException("process must look like p3, got '" + t[1] + "'");
        }
        int process = Integer.parseInt(t[1].substring(1));
        OpType type = OpType.ofWord(t[2]);
        String args = t.length == 5 ? t[4] : "";
        return new Op(index, type, process, time, parsePayload(t[3], args));
    }

    private static Payload parsePayload(String function, String args) {
        String[] a = args.isEmpty() ? new String[0] : args.split("\\s+");
        return switch (function) {
            case "read" -> new Payload.Read(arity(a, 2, "read KEY VALUE|nil")[0], parseNullableLong(a[1]));
            case "write" -> new Payload.Write(arity(a, 2, "write KEY VALUE")[0], Long.parseLong(a[1]));
            case "cas" -> new Payload.Cas(arity(a, 3, "cas KEY EXPECTED NEXT")[0],
                    Long.parseLong(a[1]), Long.parseLong(a[2]));
            case "transfer" -> new Payload.Transfer(arity(a, 3, "transfer FROM TO AMOUNT")[0], a[1], Long.parseLong(a[2]));
            case "read-all" -> parseReadAll(a);
            case "txn" -> new Payload.Txn(parseMicroOps(args));
            default -> throw new IllegalArgumentException("unknown function '" + function + "'");
        };
    }

    private static String[] arity(String[] a, int n, String usage) {
        if (a.length != n) {
            throw new IllegalArgumentException("expected " + usage);
        }
        return a;
    }

    private static Payload.ReadAll parseReadAll(String[] a) {
        if (a.length == 1 && a[0].equals("nil")) {
            return Payload.ReadAll.pending();
        }
        TreeMap<String, Long> balances = new TreeMap<>();
        for (String kv : a) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected ACCOUNT=BALANCE, got '" + kv + "'");
            }
            if (balances.put(kv.substring(0, eq), parseNullableLong(kv.substring(eq + 1))) != null) {
                throw new IllegalArgumentException("account listed twice: " + kv);
            }
        }
        return new Payload.ReadAll(balances);
    }

    private static List<MicroOp> parseMicroOps(String args) {
        List<MicroOp> ops = new ArrayList<>();
        for (String part : args.split(";")) {
            String[] a = part.strip().split("\\s+");
            if (a.length != 3) {
                throw new IllegalArgumentException("expected 'append KEY VALUE' or 'read KEY [..]|nil', got '" + part + "'");
            }
            ops.add(switch (a[0]) {
                case "append" -> new MicroOp.Append(a[1], Long.parseLong(a[2]));
                case "read" -> new MicroOp.Read(a[1], parseList(a[2]));
                default -> throw new IllegalArgumentException("unknown micro-operation '" + a[0] + "'");
            });
        }
        return ops;
    }

    private static List<Long> parseList(String s) {
        if (s.equals("nil")) {
            return null;
        }
        if (!s.startsWith("[") || !s.endsWith("]")) {
            throw new IllegalArgumentException("expected a list like [1,2] or nil, got '" + s + "'");
        }
        String body = s.substring(1, s.length() - 1);
        List<Long> list = new ArrayList<>();
        if (!body.isEmpty()) {
            for (String v : body.split(",", -1)) {
                list.add(Long.parseLong(v));
            }
        }
        return list;
    }

    private static Long parseNullableLong(String s) {
        return s.equals("nil") ? null : Long.valueOf(s);
    }
}
