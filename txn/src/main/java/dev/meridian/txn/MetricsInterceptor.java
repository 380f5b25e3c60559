package dev.meridian.txn;

import dev.meridian.proto.kv.BatchRequest;
import dev.meridian.proto.kv.BatchResponse;

/** Times every batch the application sends, including the retries and refreshes below it. */
final class MetricsInterceptor implements TxnInterceptor {

    private final TxnMetrics metrics;

    MetricsInterceptor(TxnMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public BatchResponse send(BatchRequest batch, Next next) throws InterruptedException {
        long start = System.nanoTime();
        try {
            return next.send(batch);
        } finally {
            metrics.batch(System.nanoTime() - start);
        }
    }
}
