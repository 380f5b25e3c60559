package dev.meridian.server.workload;

import dev.meridian.server.workload.KvSummary.OpSummary;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON form of a {@link KvSummary}, for {@code --json FILE}: the configuration, the measured
 * seconds, per operation type ("read", "write", "total") the count, errors, ops/s and latency
 * percentiles in milliseconds, errors by kind, and what {@code --init} did if it ran.
 */
final class SummaryJson {

    private SummaryJson() {
    }

    static String render(KvSummary s) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("workload", "kv");
        root.put("config", config(s.config()));
        root.put("measuredSeconds", s.measured().toNanos() / 1e9);
        s.init().ifPresent(init -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("written", init.written());
            m.put("failed", init.failed());
            m.put("seconds", init.took().toNanos() / 1e9);
            root.put("init", m);
        });
        Map<String, Object> ops = new LinkedHashMap<>();
        for (OpSummary op : new OpSummary[] {s.read(), s.write(), s.total()}) {
            ops.put(op.op(), op(op));
        }
        root.put("operations", ops);
        root.put("errorsByKind", new LinkedHashMap<String, Object>(s.errorsByKind()));
        return JsonText.render(root);
    }

    private static Map<String, Object> config(KvWorkloadConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("concurrency", c.concurrency());
        m.put("durationSeconds", c.duration().toNanos() / 1e9);
        m.put("rampSeconds", c.ramp().toNanos() / 1e9);
        m.put("readPercent", c.readPercent());
        m.put("keys", c.keys());
        m.put("valueBytes", c.valueBytes());
        m.put("batch", c.batch());
        m.put("distribution", c.distribution().cliName());
        m.put("seed", c.seed());
        m.put("init", c.init());
        return m;
    }

    private static Map<String, Object> op(OpSummary op) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", op.count());
        m.put("errors", op.errors());
        m.put("opsPerSecond", op.opsPerSecond());
        m.put("p50Ms", op.p50Ms());
        m.put("p95Ms", op.p95Ms());
        m.put("p99Ms", op.p99Ms());
        m.put("maxMs", op.maxMs());
        return m;
    }
}
