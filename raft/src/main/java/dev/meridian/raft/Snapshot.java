package dev.meridian.raft;

/**
 * A state-machine snapshot: the application's state after applying every entry up to
 * {@code metadata.index()}. The data is opaque to Raft and never modified after construction.
 * A snapshot with index 0 is "no snapshot".
 */
public record Snapshot(SnapshotMetadata metadata, byte[] data) {

    public static final Snapshot EMPTY = new Snapshot(SnapshotMetadata.EMPTY, new byte[0]);

    public Snapshot {
        data = data == null ? new byte[0] : data;
    }

    public boolean isEmpty() {
        return metadata.index() == 0;
    }

    public long index() {
        return metadata.index();
    }

    public long term() {
        return metadata.term();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s && metadata.equals(s.metadata) && java.util.Arrays.equals(data, s.data);
    }

    @Override
    public int hashCode() {
        return metadata.hashCode() * 31 + java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "snapshot " + metadata.term() + "/" + metadata.index() + " " + metadata.confState();
    }
}
