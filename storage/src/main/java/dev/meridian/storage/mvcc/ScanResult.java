package dev.meridian.storage.mvcc;

import java.util.List;

/**
 * The outcome of a scan.
 *
 * @param status             OK, INTENT or UNCERTAIN
 * @param rows               OK: the visible live rows in scan order; otherwise empty
 * @param resumeSpan         OK: the rest of the span when a limit stopped the scan and more keys
 *                           exist, else {@code null}; scanning it continues where this one stopped
 * @param conflicts          INTENT: every conflicting intent met (in scan order)
 * @param uncertainKey       UNCERTAIN: the key whose version lies in the uncertainty interval
 * @param uncertainTimestamp UNCERTAIN: that version's timestamp
 */
public record ScanResult(Status status, List<KeyValue> rows, Span resumeSpan, List<LockConflict> conflicts,
                         byte[] uncertainKey, Timestamp uncertainTimestamp) {

    public enum Status { OK, INTENT, UNCERTAIN }

    public ScanResult {
        rows = List.copyOf(rows);
        conflicts = List.copyOf(conflicts);
    }
}
