package dev.meridian.raft;

import java.util.List;

/**
 * Everything a node asks its caller to do, in this order:
 * <ol>
 *   <li>persist {@link #hardState} (if not empty), {@link #entries} and {@link #snapshot} (if
 *       not empty) - durably, if {@link #mustSync};</li>
 *   <li>only then send {@link #messages} (a vote or an acknowledgement must never outrun
 *       the state it promises);</li>
 *   <li>apply {@link #snapshot} and then {@link #committedEntries} to the state machine
 *       (calling {@link RawNode#applyConfChange} for conf-change entries), and serve
 *       {@link #readStates} once applied up to their index;</li>
 *   <li>call {@link RawNode#advance} with this Ready.</li>
 * </ol>
 *
 * @param softState        the new leader/role, or null if unchanged
 * @param hardState        term, vote, commit to persist, or {@link HardState#EMPTY} if unchanged
 * @param readStates       answered read-index requests
 * @param entries          entries to append to storage (replacing any suffix from the first)
 * @param snapshot         a snapshot to install, or {@link Snapshot#EMPTY}
 * @param committedEntries entries to apply, in order
 * @param messages         messages to send once the above is persisted
 * @param mustSync         whether the writes must be synced to disk before sending
 */
public record Ready(SoftState softState, HardState hardState, List<ReadState> readStates, List<Entry> entries,
                    Snapshot snapshot, List<Entry> committedEntries, List<Message> messages, boolean mustSync) {

    public Ready {
        readStates = List.copyOf(readStates);
        entries = List.copyOf(entries);
        committedEntries = List.copyOf(committedEntries);
        messages = List.copyOf(messages);
    }
}
