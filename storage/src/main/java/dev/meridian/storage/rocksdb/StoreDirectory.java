package dev.meridian.storage.rocksdb;

import dev.meridian.storage.StoreOpenException;
import dev.meridian.storage.StoreOpenException.Reason;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The directory of a store: decides whether it is a new store, our store, or something to refuse,
 * and holds the store's lock while the engine is open.
 *
 * <p>Invariant: every refusal happens before anything in the directory is written, so a wrong
 * path given by an operator never damages what is there. The marker is written (atomically,
 * fsynced) before RocksDB creates any file: a crash in between leaves a directory holding only
 * the marker, which the next open completes. The lock is our own file, taken before RocksDB is
 * opened, because a RocksDB open that loses the race for RocksDB's LOCK file has already rotated
 * the info log of the running store.
 */
final class StoreDirectory implements AutoCloseable {
    static final String MARKER = "MERIDIAN_STORE";
    static final String MARKER_TMP = "MERIDIAN_STORE.tmp";
    static final String LOCK = "MERIDIAN_STORE.lock";
    static final String MAGIC = "meridian-store";
    static final int FORMAT_VERSION = 1;

    private final FileChannel lockChannel;
    private final FileLock lock;
    private final boolean isNew;

    private StoreDirectory(FileChannel lockChannel, FileLock lock, boolean isNew) {
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.isNew = isNew;
    }

    /** True when RocksDB has not created this store yet. */
    boolean isNew() {
        return isNew;
    }

    /** Validates (or creates) the store directory and locks it. */
    static StoreDirectory prepare(Path dir) {
        TreeSet<String> names = listNames(dir);
        names.remove(MARKER_TMP);
        if (names.isEmpty()) {
            create(dir);
        } else if (!names.contains(MARKER)) {
            throw new StoreOpenException(Reason.NOT_A_STORE, dir, "the directory holds " + names.size()
                    + " entries (e.g. " + names.first() + ") but no " + MARKER
                    + " marker; it is not a Meridian store, refusing to touch it", null);
        } else {
            checkMarker(dir);
        }
        StoreDirectory locked = lock(dir);
        boolean hasDatabase = Files.exists(dir.resolve("CURRENT"));
        names.remove(MARKER);
        names.remove(LOCK);
        if (!hasDatabase && !names.isEmpty()) {
            locked.close();
            throw new StoreOpenException(Reason.CORRUPT, dir,
                    "the store has a marker and files but no RocksDB CURRENT file", null);
        }
        return new StoreDirectory(locked.lockChannel, locked.lock, !hasDatabase);
    }

    private static TreeSet<String> listNames(Path dir) {
        TreeSet<String> names = new TreeSet<>();
        if (!Files.exists(dir)) {
            return names;
        }
        if (!Files.isDirectory(dir)) {
            throw new StoreOpenException(Reason.NOT_A_STORE, dir, "the path is not a directory", null);
        }
        try (Stream<Path> entries = Files.list(dir)) {
            entries.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new StoreOpenException(Reason.IO, dir, "cannot list the directory: " + e, e);
        }
        return names;
    }

    /** The marker text for {@code version}: magic, version, and a checksum of both lines. */
    static String markerText(int version) {
        String body = MAGIC + "\nformat-version=" + version + "\n";
        return body + "crc32c=" + crc(body) + "\n";
    }

    private static String crc(String body) {
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    private static void checkMarker(Path dir) {
        String text;
        try {
            text = Files.readString(dir.resolve(MARKER), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreOpenException(Reason.CORRUPT, dir, "cannot read the " + MARKER + " marker: " + e, e);
        }
        List<String> lines = text.lines().toList();
        if (lines.size() != 3 || !lines.get(0).equals(MAGIC) || !lines.get(2).startsWith("crc32c=")
                || !text.endsWith("\n")) {
            throw new StoreOpenException(Reason.CORRUPT, dir, "the " + MARKER + " marker is damaged", null);
        }
        String body = lines.get(0) + "\n" + lines.get(1) + "\n";
        if (!lines.get(2).equals("crc32c=" + crc(body))) {
            throw new StoreOpenException(Reason.CORRUPT, dir, "the " + MARKER + " marker fails its checksum", null);
        }
        int version;
        try {
            if (!lines.get(1).startsWith("format-version=")) {
                throw new NumberFormatException(lines.get(1));
            }
            version = Integer.parseInt(lines.get(1).substring("format-version=".length()));
        } catch (NumberFormatException e) {
            throw new StoreOpenException(Reason.CORRUPT, dir, "the " + MARKER + " marker has no format version", e);
        }
        if (version != FORMAT_VERSION) {
            throw new StoreOpenException(Reason.INCOMPATIBLE_VERSION, dir, "the store has format version "
                    + version + " but this build reads format version " + FORMAT_VERSION, null);
        }
    }

    private static void create(Path dir) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(MARKER_TMP);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(markerText(FORMAT_VERSION).getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try {
                Files.move(tmp, dir.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(MARKER), StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } catch (IOException e) {
            throw new StoreOpenException(Reason.IO, dir, "cannot create the store: " + e, e);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static StoreDirectory lock(Path dir) {
        FileChannel ch = null;
        try {
            Path lockFile = dir.resolve(LOCK);
            ch = Files.exists(lockFile)
                    ? FileChannel.open(lockFile, StandardOpenOption.WRITE)
                    : FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                throw new OverlappingFileLockException();
            }
            return new StoreDirectory(ch, lock, false);
        } catch (OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new StoreOpenException(Reason.IO, dir, "the store is in use by another engine or process", e);
        } catch (NoSuchFileException e) {
            closeQuietly(ch);
            throw new StoreOpenException(Reason.IO, dir, "the store directory vanished: " + e, e);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new StoreOpenException(Reason.IO, dir, "cannot lock the store: " + e, e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Already failing; the original error is the one to report.
            }
        }
    }

    /** Releases the store lock. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases the lock as well.
        }
        closeQuietly(lockChannel);
    }
}
