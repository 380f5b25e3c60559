/**
 * Metrics export: the node's OpenTelemetry SDK ({@link dev.meridian.server.metrics.MeridianTelemetry})
 * and a pull-based reader that renders it as Prometheus text
 * ({@link dev.meridian.server.metrics.PrometheusTextReader}) for {@code /metrics}.
 *
 * <p>Invariant relied on by scrapers and dashboards: the output of one state is deterministic
 * (families by name, series by labels), each family has exactly one HELP and one TYPE line, and
 * histogram buckets are cumulative and end with {@code le="+Inf"} equal to {@code _count}.
 * HAZARD: changing the name mapping (units, {@code _total}) renames every series a dashboard
 * queries.
 */
package dev.meridian.server.metrics;
