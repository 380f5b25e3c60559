/**
 * {@code meridian workload}: load generators that drive a running cluster and report throughput
 * and latency.
 *
 * <p>{@link dev.meridian.server.workload.KvWorkload} is the engine of {@code workload kv}: closed-loop
 * workers issue gets and puts through a {@link dev.meridian.cluster.kv.KvOperations}, record
 * latencies into HdrHistogram recorders, and a reporter prints one line per operation type every
 * second and a summary at the end. The engine knows nothing of picocli; the command classes
 * parse options into a {@link dev.meridian.server.workload.KvWorkloadConfig} and obtain the client
 * through a {@link dev.meridian.server.workload.KvConnector}.
 *
 * <p>This is an I/O edge: it owns threads and reads time, but only through a
 * {@link dev.meridian.server.workload.WorkloadClock} so that tests can run a "ten second" workload
 * in a fraction of that. Benchmarks report; nothing here fails on a timing.
 */
package dev.meridian.server.workload;
