/**
 * The bank checker: accounts with a fixed total, changed only by transfers; every ok read of
 * all accounts must be a consistent snapshot.
 *
 * <p>Proves, per read: the read saw every account and no other, no null and no negative
 * balance, and the fixed total, so no transfer was seen half-applied, applied twice or lost
 * money. Does not prove recency (a consistent but stale snapshot passes) or anything about
 * transfers no read observed. A history with no ok reads is vacuously valid: check
 * {@code okReads()}.
 */
package dev.meridian.testkit.history.bank;
