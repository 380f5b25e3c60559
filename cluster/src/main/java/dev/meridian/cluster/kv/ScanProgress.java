package dev.meridian.cluster.kv;

import com.google.protobuf.ByteString;
import dev.meridian.cluster.keys.Keys;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.proto.kv.KeyValue;
import dev.meridian.proto.kv.RangeDescriptor;
import dev.meridian.proto.kv.ScanResponse;
import dev.meridian.proto.kv.ScanRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * A scan read range by range: the part of its span not read yet, the rows read so far (in scan
 * order) and how many more it may return. Used by one chain of callbacks at a time, never
 * concurrently.
 */
final class ScanProgress {

    private final ScanRequest scan;
    private final boolean reverse;
    private final long maxKeys;
    private final List<KeyValue> rows = new ArrayList<>();
    /** The unread span {@code [start, end)}: forward reads consume it from the start, reverse from the end. */
    private byte[] start;
    private byte[] end;

    ScanProgress(ScanRequest scan) {
        this.scan = scan;
        this.reverse = scan.getReverse();
        this.maxKeys = scan.getMaxKeys();
        this.start = scan.getStartKey().toByteArray();
        this.end = scan.getEndKey().toByteArray();
    }

    /** Where the next read begins: the start key, or for a reverse scan the (exclusive) end key. */
    byte[] position() {
        return reverse ? end : start;
    }

    /** The next read: the unread span cut to {@code range}, limited to the rows still wanted. */
    ScanRequest pieceWithin(RangeDescriptor range) {
        byte[] s = start;
        byte[] e = end;
        if (reverse) {
            byte[] rangeStart = range.getStartKey().toByteArray();
            s = Keys.compare(rangeStart, s) > 0 ? rangeStart : s;
        } else {
            byte[] rangeEnd = range.getEndKey().toByteArray();
            e = Keys.compare(rangeEnd, e) < 0 ? rangeEnd : e;
        }
        return scan.toBuilder()
                .setStartKey(ByteString.copyFrom(s))
                .setEndKey(ByteString.copyFrom(e))
                .setMaxKeys(maxKeys == 0 ? 0 : maxKeys - rows.size())
                .build();
    }

    /** Appends rows read, dropping any beyond the limit (a node must not return more; one that does is trimmed). */
    void add(List<KeyValue> got) {
        for (KeyValue kv : got) {
            if (limitReached()) {
                return;
            }
            rows.add(kv);
        }
    }

    boolean limitReached() {
        return maxKeys > 0 && rows.size() >= maxKeys;
    }

    /**
     * Marks everything before {@code boundary} (reverse: from it on) as read.
     *
     * @return whether some of the span is still unread
     * @throws KvException INTERNAL if the boundary would not shrink the unread span (a node's
     *                     resume key outside the piece it was sent): going on could loop forever
     */
    boolean advance(byte[] boundary) {
        if (reverse) {
            if (Keys.compare(boundary, end) >= 0) {
                throw noProgress(boundary);
            }
            end = boundary;
            return Keys.compare(start, end) < 0;
        }
        if (Keys.compare(boundary, start) <= 0) {
            throw noProgress(boundary);
        }
        start = boundary;
        return Keys.compare(start, end) < 0;
    }

    private KvException noProgress(byte[] boundary) {
        return KvException.of(ErrorKind.INTERNAL, "scan resume point " + Keys.pretty(boundary)
                + " does not advance the unread span [" + Keys.pretty(start) + ", " + Keys.pretty(end) + ")");
    }

    /**
     * The scan's response: all rows read, and if {@code boundary} (where the unread part starts,
     * or for a reverse scan ends) leaves some of the span unread, it as the resume key.
     */
    ScanResponse finish(byte[] boundary) {
        ScanResponse.Builder b = ScanResponse.newBuilder().addAllRows(rows);
        if (boundary != null) {
            boolean remains = reverse ? Keys.compare(start, boundary) < 0 : Keys.compare(boundary, end) < 0;
            if (remains) {
                b.setResumeKey(ByteString.copyFrom(boundary));
            }
        }
        return b.build();
    }
}
