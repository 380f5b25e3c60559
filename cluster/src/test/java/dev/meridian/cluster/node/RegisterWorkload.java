package dev.meridian.cluster.node;

import dev.meridian.cluster.kv.KvException;
import dev.meridian.cluster.kv.KvOperations;
import dev.meridian.proto.kv.ErrorKind;
import dev.meridian.testkit.history.HistoryRecorder;
import dev.meridian.testkit.history.Payload;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Clients doing reads, writes of unique values and compare-and-sets on a few registers,
 * recording every operation for the linearizability checker. A write whose outcome the client
 * cannot know (an ambiguous error, a timeout) is recorded as {@code info} and its process
 * retired, as TESTING.md requires.
 */
final class RegisterWorkload {

    private final HistoryRecorder recorder = new HistoryRecorder(System::nanoTime);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong values = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> registers;
    private final IntFunction<KvOperations> gateway;

    RegisterWorkload(List<String> registers, IntFunction<KvOperations> gateway) {
        this.registers = registers;
        this.gateway = gateway;
    }

    static byte[] key(String register) {
        return ("user/reg/" + register).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] value(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    void start(int clients, long seed) {
        for (int c = 0; c < clients; c++) {
            int client = c;
            SplittableRandom rnd = new SplittableRandom(seed + c);
            Thread t = new Thread(() -> runClient(client, rnd), "register-client-" + c);
            threads.add(t);
            t.start();
        }
    }

    private void runClient(int client, SplittableRandom rnd) {
        int process = recorder.newProcess();
        while (running.get()) {
            String reg = registers.get(rnd.nextInt(registers.size()));
            KvOperations kv = gateway.apply(client);
            int kind = rnd.nextInt(10);
            if (kind < 5) {
                recorder.invoke(process, new Payload.Read(reg, null));
                try {
                    Optional<byte[]> v = kv.get(key(reg)).get(15, TimeUnit.SECONDS);
                    recorder.ok(process, new Payload.Read(reg, v.map(b -> ByteBuffer.wrap(b).getLong()).orElse(null)));
                } catch (Exception e) {
                    // A read changes nothing: a failed read is simply not an observation.
                    recorder.fail(process, new Payload.Read(reg, null));
                }
            } else if (kind < 8) {
                long v = values.incrementAndGet();
                Payload.Write w = new Payload.Write(reg, v);
                recorder.invoke(process, w);
                if (!finish(process, w, () -> kv.put(key(reg), value(v)).get(15, TimeUnit.SECONDS), false)) {
                    process = recorder.newProcess();
                }
            } else {
                long expected = values.get() - rnd.nextInt(3);
                long next = values.incrementAndGet();
                Payload.Cas cas = new Payload.Cas(reg, expected, next);
                recorder.invoke(process, cas);
                if (!finish(process, cas, () -> kv.conditionalPut(key(reg), value(next), value(expected))
                        .get(15, TimeUnit.SECONDS), true)) {
                    process = recorder.newProcess();
                }
            }
        }
    }

    private interface Call {
        void run() throws InterruptedException, ExecutionException, TimeoutException;
    }

    /** Records the outcome; false if the process had to be retired (an unknown outcome). */
    private boolean finish(int process, Payload p, Call call, boolean cas) {
        try {
            call.run();
            recorder.ok(process, p);
            return true;
        } catch (ExecutionException e) {
            if (cas && e.getCause() instanceof KvException k && k.kind() == ErrorKind.CONDITION_FAILED) {
                recorder.fail(process, p);
                return true;
            }
            recorder.info(process, p);
            return false;
        } catch (TimeoutException e) {
            recorder.info(process, p);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            recorder.info(process, p);
            return false;
        }
    }

    HistoryRecorder stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        return recorder;
    }
}
