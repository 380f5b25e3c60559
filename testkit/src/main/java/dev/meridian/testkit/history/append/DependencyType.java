package dev.meridian.testkit.history.append;

/** Why one transaction must come before another in any serial order. */
public enum DependencyType {
    /** Write-write: the source appended the element just before the target's on some key. */
    WW,
    /** Write-read: the target read a list whose last element the source appended. */
    WR,
    /** Read-write (anti-dependency): the source read the list just before the target's element. */
    RW,
    /** The source completed before the target was invoked. */
    REALTIME,
    /** The source was the previous transaction of the target's process. */
    PROCESS
}
