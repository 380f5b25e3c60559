package dev.meridian.cluster.time;

import dev.meridian.storage.mvcc.Timestamp;

/** Conversions between the storage {@link Timestamp} and its wire form {@code meridian.kv.Timestamp}. */
public final class Timestamps {

    private Timestamps() {
    }

    /** The wire form of {@code ts}. */
    public static dev.meridian.proto.kv.Timestamp toProto(Timestamp ts) {
        return dev.meridian.proto.kv.Timestamp.newBuilder()
                .setWallNanos(ts.wallNanos())
                .setLogical(ts.logical())
                .build();
    }

    /**
     * The timestamp a wire message carries; an unset field reads as {@link Timestamp#ZERO}.
     *
     * @throws IllegalArgumentException if a part is negative (a malformed or hostile message)
     */
    public static Timestamp fromProto(dev.meridian.proto.kv.Timestamp ts) {
        return new Timestamp(ts.getWallNanos(), ts.getLogical());
    }
}
