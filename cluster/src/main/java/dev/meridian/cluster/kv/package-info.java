/**
 * Routing of KV requests to ranges: the client side of the KV API.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link dev.meridian.cluster.kv.KvOperations}: the non-transactional KV API.</li>
 *   <li>{@link dev.meridian.cluster.kv.DistSender}: implements it over a
 *       {@link dev.meridian.cluster.kv.RangeTransport}: splits batches by range, sends each part
 *       to its leaseholder, retries, reassembles. Helpers: {@code RangeLocator} (cache, then
 *       meta), {@code ReplicaSender} (one range's replicas, the write rule), {@code ScanProgress}
 *       (scans read range by range), {@code RangeCache} (descriptors and leaseholders).</li>
 *   <li>{@link dev.meridian.cluster.kv.GrpcRangeTransport}: the transport over gRPC;
 *       {@link dev.meridian.cluster.kv.KvClient}: both together, for applications.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Meta: the descriptor of the range ending at {@code e} is stored at
 *       {@code Keys.metaKey(e)} in the first range, which always holds the whole meta span; so
 *       one scan of the first range finds any key's range, and the first range itself comes from
 *       {@link dev.meridian.cluster.kv.RangeTransport#firstRange()}.</li>
 *   <li>Cached descriptors never overlap, and a newer generation always replaces an older one
 *       (RangeCache). A stale descriptor is harmless: the node answers RANGE_KEY_MISMATCH and
 *       nothing is written.</li>
 *   <li>A batch's part that failed with RANGE_KEY_MISMATCH, NOT_LEASEHOLDER, RANGE_NOT_FOUND,
 *       NODE_UNAVAILABLE or UNAVAILABLE wrote nothing; only then is it sent again.</li>
 * </ul>
 *
 * <h2>HAZARD</h2>
 * A write whose outcome is unknown (a transport failure other than
 * {@link dev.meridian.cluster.kv.RequestNotSentException}, a timeout, AMBIGUOUS_RESULT from the
 * node) is reported AMBIGUOUS_RESULT and never re-sent: without transactions there is nothing
 * to make a second application harmless (an increment would count twice). A change that
 * retries writes more eagerly must first give them idempotency (transaction sequence numbers).
 * Likewise a new node-side error must say whether it is decided before proposal; until
 * DistSender knows it is, it is passed to the caller as a definite error.
 *
 * <p>Not atomic across ranges: a batch that spans ranges applies per range. Transactions come
 * later.
 */
package dev.meridian.cluster.kv;
