package dev.meridian.server.workload;

import dev.meridian.cluster.kv.KvOperations;

import java.util.List;

/**
 * How {@code workload kv} obtains its KV client: the seam between the command and the client
 * library, so that tests can hand it an in-memory {@link KvOperations}.
 */
@FunctionalInterface
public interface KvConnector {

    /**
     * A client connected to the cluster through {@code hostPorts} ("host:port", at least one).
     * If the returned object is also {@link AutoCloseable}, the command closes it after the run.
     *
     * @throws Exception when no connection can be made; the command reports it and exits 1
     */
    KvOperations connect(List<String> hostPorts) throws Exception;
}
