package dev.meridian.storage.rocksdb;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;

/**
 * Run as a separate process by {@link RocksDbStoreTest}: opens the store named by its argument,
 * prints {@code OPEN}, and closes it when a line arrives on standard input.
 */
public final class StoreHolder {
    private StoreHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (RocksDbEngine engine = RocksDbEngine.open(Path.of(args[0]), RocksDbEngineTest.TEST_CONFIG,
                io.opentelemetry.api.OpenTelemetry.noop())) {
            System.out.println("OPEN");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in)).readLine();
        }
    }
}
