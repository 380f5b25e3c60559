package dev.meridian.cluster.replica;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.cluster.kv.KvException;
import dev.meridian.cluster.kv.KvOperations;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.RangeDescriptor;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps a range's meta entry current. A meta entry is keyed by its range's end key, and every
 * end key belongs to exactly one live range, so each leaseholder can own its entry: it writes
 * its descriptor there unless a newer generation is there already, with a conditional put so
 * that two writers cannot both win. (After a split the old entry at the end key, of the
 * pre-split range, has a lower generation than the right-hand range that now owns it.)
 * Until transactions exist this is how descriptor changes reach meta without a cross-range
 * transaction; a leaseholder repairs its entry whenever it finds it stale.
 */
public final class MetaUpdater {

    private MetaUpdater() {
    }

    /** Makes meta hold {@code desc} (or something newer) under its end key. */
    public static void update(KvOperations kv, RangeDescriptor desc, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        byte[] key = Keys.metaKey(desc.getEndKey().toByteArray());
        for (int attempt = 0; attempt < 10; attempt++) {
            Optional<byte[]> current = kv.get(key).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (current.isPresent() && parse(current.get()).getGeneration() >= desc.getGeneration()) {
                return;
            }
            try {
                kv.conditionalPut(key, desc.toByteArray(), current.orElse(null)).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof KvException k) || k.kind() != ErrorKind.CONDITION_FAILED) {
                    throw e;
                }
            }
        }
        throw new ExecutionException(KvException.of(ErrorKind.UNAVAILABLE, "meta entry of r" + desc.getRangeId()
                + " kept changing"));
    }

    static RangeDescriptor parse(byte[] raw) {
        try {
            return RangeDescriptor.parseFrom(raw);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("meta entry is not a range descriptor", e);
        }
    }
}
