/**
 * The Raft transport between nodes over gRPC ({@link dev.meridian.cluster.raft.grpc.GrpcRaftTransport}):
 * every group's messages from one node to another travel as batches on a single client stream
 * per ordered node pair, encoded as {@code meridian.raft} protobuf messages
 * ({@link dev.meridian.cluster.raft.grpc.RaftProtos}).
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>Never corrupt.</b> A received batch reaches the node's receiver whole and valid or not
 *       at all: decoding is strict (no zero or unknown enum value, no missing message, no
 *       negative node id, term or index, no local message type such as {@code HUP}), and a
 *       batch for another node is dropped. Each drop is counted by reason. Raft relies on this:
 *       it tolerates loss, never damage.</li>
 *   <li><b>Order per pair.</b> Batches from one node to another are delivered in send order
 *       when they are delivered: one FIFO queue and one stream per destination, gRPC delivers a
 *       stream's messages in order and one at a time, and the receiver drops a batch of an
 *       older stream (numbered per sender incarnation) once a newer one delivered, so a late
 *       leftover of a broken stream cannot overtake. The queue is emptied when its stream
 *       breaks, so a queued batch always goes out on the stream it was stamped for.</li>
 *   <li><b>Drop rather than block.</b> {@code send} never waits on the network: it queues, up to
 *       a count and a byte limit per destination, and drains only while gRPC reports the stream
 *       ready. A slow or stuck receiver stops the draining through HTTP/2 flow control, the
 *       queue fills and sends are dropped; memory per destination stays within the queue limits
 *       plus what gRPC is writing.</li>
 *   <li>A broken stream is reported once through {@code Receiver.unreachable}; the next send
 *       after a doubling backoff (reset when a stream becomes ready) opens a new one on a fresh
 *       channel, with the address looked up again. Nothing reconnects in the background: Raft's
 *       heartbeats are the next send.</li>
 * </ul>
 *
 * <h2>HAZARDs</h2>
 * <ul>
 *   <li>A batch travels whole: a snapshot must fit {@code maxMessageBytes} (64 MiB by default).
 *       Larger snapshots need chunking on their own stream (planned); until then a bigger
 *       snapshot is dropped at the sender as too large, and the follower never catches up.</li>
 *   <li>No authentication or TLS: anything that can reach the port can send batches that pass
 *       validation. Run only on a trusted network until mutual TLS is added. The per-sender
 *       order table grows with every sender id seen.</li>
 *   <li>The receiver runs on gRPC's callback threads under a per-sender lock; a receiver that
 *       blocks stalls that sender's stream (by design: it is the backpressure) and holds one of
 *       the few callback threads. Receivers must hand batches off, not process them.</li>
 *   <li>Protobuf byte fields wrap entry and snapshot arrays without copying. That is safe only
 *       because {@link dev.meridian.raft.Entry} and {@link dev.meridian.raft.Snapshot} data are
 *       immutable once built; code that reuses such an array corrupts batches still queued.</li>
 *   <li>Every node must use the same {@code maxMessageBytes}: the sender checks its own limit,
 *       and a batch above the receiver's limit breaks the whole stream (RESOURCE_EXHAUSTED).</li>
 * </ul>
 */
package dev.meridian.cluster.raft.grpc;
