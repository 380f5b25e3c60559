package dev.meridian.cluster.node;

import dev.meridian.cluster.raft.driver.DriverConfig;
import dev.meridian.cluster.replica.StoreConfig;
import dev.meridian.cluster.time.PhysicalClock;
import dev.meridian.storage.Engine;
import dev.meridian.storage.rocksdb.RocksDbConfig;
import dev.meridian.storage.rocksdb.RocksDbEngine;
import io.opentelemetry.api.OpenTelemetry;
import dev.meridian.proto.kv.LocalityTier;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to run one node.
 *
 * @param storeDir        the RocksDB store directory (created if missing)
 * @param listenAddress   where the node's gRPC server (Raft, KV, node services) listens
 * @param advertiseAddress the address other nodes and clients use to reach it ("host:port")
 * @param httpAddress     the address of its HTTP status server, as advertised ("" if none)
 * @param join            addresses of nodes to join through ("host:port")
 * @param locality        the node's locality tiers, outermost first
 * @param cacheBytes      the RocksDB block cache
 * @param driver          Raft driver settings
 * @param store           replica settings (max offset, leases, replication factor)
 * @param clock           the physical clock under the node's hybrid clock
 * @param maintenanceInterval how often leases, leadership and replication are looked after
 * @param faults          network faults to inject (tests); {@link NetworkFaults#none()} in production
 * @param engines         how the store's engine is opened (RocksDB; tests may wrap it)
 */
public record NodeConfig(Path storeDir, InetSocketAddress listenAddress, String advertiseAddress, String httpAddress,
                         List<String> join, List<LocalityTier> locality, long cacheBytes, DriverConfig driver,
                         StoreConfig store, PhysicalClock clock, Duration maintenanceInterval, NetworkFaults faults,
                         EngineFactory engines) {

    /** Opens a node's engine. */
    @FunctionalInterface
    public interface EngineFactory {
        Engine open(Path dir, long cacheBytes, OpenTelemetry otel);

        /** RocksDB with a block cache of {@code cacheBytes}. */
        static EngineFactory rocksDb() {
            return (dir, cacheBytes, otel) -> RocksDbEngine.open(dir, RocksDbConfig.DEFAULT.withBlockCacheBytes(cacheBytes), otel);
        }
    }

    public NodeConfig {
        Objects.requireNonNull(storeDir, "storeDir");
        Objects.requireNonNull(listenAddress, "listenAddress");
        join = List.copyOf(join);
        faults = faults == null ? NetworkFaults.none() : faults;
        engines = engines == null ? EngineFactory.rocksDb() : engines;
        locality = List.copyOf(locality);
        if (advertiseAddress == null || advertiseAddress.isEmpty()) {
            advertiseAddress = listenAddress.getHostString() + ":" + listenAddress.getPort();
        }
    }

    /** A node on {@code listen} with a store in {@code dir} and the default settings. */
    public static NodeConfig of(Path dir, InetSocketAddress listen, List<String> join) {
        return new NodeConfig(dir, listen, null, "", join, List.of(), 256L << 20, DriverConfig.defaults(),
                StoreConfig.defaults(), PhysicalClock.system(), Duration.ofMillis(250), NetworkFaults.none(), EngineFactory.rocksDb());
    }

    public NodeConfig withAdvertiseAddress(String address) {
        return new NodeConfig(storeDir, listenAddress, address, httpAddress, join, locality, cacheBytes, driver, store,
                clock, maintenanceInterval, faults, engines);
    }

    public NodeConfig withHttpAddress(String address) {
        return new NodeConfig(storeDir, listenAddress, advertiseAddress, address, join, locality, cacheBytes, driver,
                store, clock, maintenanceInterval, faults, engines);
    }

    public NodeConfig withLocality(List<LocalityTier> tiers) {
        return new NodeConfig(storeDir, listenAddress, advertiseAddress, httpAddress, join, tiers, cacheBytes, driver,
                store, clock, maintenanceInterval, faults, engines);
    }

    public NodeConfig withCacheBytes(long bytes) {
        return new NodeConfig(storeDir, listenAddress, advertiseAddress, httpAddress, join, locality, bytes, driver,
                store, clock, maintenanceInterval, faults, engines);
    }

    public NodeConfig withDriver(DriverConfig d) {
        return new NodeConfig(storeDir, listenAddress, advertiseAddress, httpAddress, join, locality, cacheBytes, d,
                store, clock, maintenanceInterval, faults, engines);
    }

    public NodeConfig withStore(StoreConfig s) {
        return new NodeConfig(storeDir, listenAddress, advertiseAddress, httpAddress, join, locality, cacheBytes, driver,
                s, clock, maintenanceInterval, faults, engines);
    }

    public NodeConfig withFaults(NetworkFaults f) {
        return new NodeConfig(storeDir, listenAddress, advertiseAddress, httpAddress, join, locality, cacheBytes, driver,
                store, clock, maintenanceInterval, f, engines);
    }

    public NodeConfig withEngines(EngineFactory e) {
        return new NodeConfig(storeDir, listenAddress, advertiseAddress, httpAddress, join, locality, cacheBytes, driver,
                store, clock, maintenanceInterval, faults, e);
    }

    public NodeConfig withClock(PhysicalClock c) {
        return new NodeConfig(storeDir, listenAddress, advertiseAddress, httpAddress, join, locality, cacheBytes, driver,
                store, c, maintenanceInterval, faults, engines);
    }
}
