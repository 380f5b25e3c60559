package dev.meridian.benchmarks.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The latency of appending 256 bytes and forcing them to disk (fdatasync), the floor under every
 * synced Raft log write. Run it on the disk the store lives on:
 * {@code benchmarks/fsync-latency [DIR] [COUNT]} (default: the current directory, 500 writes).
 */
public final class FsyncLatency {

    private FsyncLatency() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        Path file = Files.createTempFile(dir, "meridian-fsync", ".test");
        long[] nanos = new long[count];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(256);
            for (int i = 0; i < count; i++) {
                b.clear();
                long start = System.nanoTime();
                ch.write(b);
                ch.force(false);
                nanos[i] = System.nanoTime() - start;
            }
        } finally {
            Files.delete(file);
        }
        Arrays.sort(nanos);
        System.out.printf("fdatasync of 256 bytes in %s, %d writes: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
                dir.toAbsolutePath(), count, nanos[count / 2] / 1e6, nanos[count * 99 / 100] / 1e6,
                nanos[count - 1] / 1e6);
    }
}
