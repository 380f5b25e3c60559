package dev.meridian.testkit.history;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryRecorderTest {

    private final AtomicLong clock = new AtomicLong(1000);
    private final HistoryRecorder recorder = new HistoryRecorder(() -> clock.addAndGet(10));

    @Test
    void recordsEventsWithTheSuppliedTimeAndPairsThem() {
        int p = recorder.newProcess();
        recorder.invoke(p, new Payload.Write("x", 1));
        recorder.ok(p, new Payload.Write("x", 1));
        recorder.invoke(p, new Payload.Read("x", null));
        recorder.ok(p, new Payload.Read("x", 1L));

        History h = recorder.history();
        assertThat(h.ops()).extracting(Op::time).containsExactly(1010L, 1020L, 1030L, 1040L);
        assertThat(h.ops()).extracting(Op::index).containsExactly(0, 1, 2, 3);
        assertThat(h.operations()).hasSize(2);
        assertThat(h.operations().get(1).outcome()).isEqualTo(OpType.OK);
        assertThat(h.operations().get(1).payload()).isEqualTo(new Payload.Read("x", 1L));
        assertThat(h.operations().get(1).invokeIndex()).isEqualTo(2);
        assertThat(h.operations().get(1).completeIndex()).isEqualTo(3);
    }

    @Test
    void completionWithoutOpenInvocationIsRejected() {
        assertThatThrownBy(() -> recorder.ok(3, new Payload.Write("x", 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("process 3 has no open invocation");
        assertThat(recorder.history().ops()).isEmpty();
    }

    @Test
    void secondInvocationWhileOpenIsRejected() {
        recorder.invoke(0, new Payload.Write("x", 1));
        assertThatThrownBy(() -> recorder.invoke(0, new Payload.Write("x", 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already has an open invocation");
    }

    @Test
    void completionMustMatchTheInvokedFunction() {
        recorder.invoke(0, new Payload.Write("x", 1));
        assertThatThrownBy(() -> recorder.ok(0, new Payload.Read("x", 1L)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not match");
    }

    @Test
    void infoRetiresTheProcess() {
        recorder.invoke(0, new Payload.Write("x", 1));
        recorder.info(0, new Payload.Write("x", 1));
        assertThatThrownBy(() -> recorder.invoke(0, new Payload.Write("x", 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("retired");
        assertThat(recorder.newProcess()).isEqualTo(1);
        assertThat(recorder.history().operations().get(0).outcome()).isEqualTo(OpType.INFO);
    }

    @Test
    void failDoesNotRetireTheProcess() {
        recorder.invoke(0, new Payload.Write("x", 1));
        recorder.fail(0, new Payload.Write("x", 1));
        recorder.invoke(0, new Payload.Write("x", 2));
        assertThat(recorder.isOpen(0)).isTrue();
    }

    @Test
    void newProcessNeverReturnsAnIdAlreadyUsed() {
        recorder.invoke(0, new Payload.Write("x", 1));
        recorder.invoke(1, new Payload.Write("x", 2));
        int a = recorder.newProcess();
        int b = recorder.newProcess();
        assertThat(a).isEqualTo(2);
        assertThat(b).isEqualTo(3);
    }

    @Test
    void openInvocationAtTheEndCountsAsInfo() {
        recorder.invoke(0, new Payload.Write("x", 1));
        Operation op = recorder.history().operations().get(0);
        assertThat(op.outcome()).isEqualTo(OpType.INFO);
        assertThat(op.completeIndex()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void concurrentClientsProduceAWellFormedHistory() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int p = recorder.newProcess();
            threads.add(new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    recorder.invoke(p, new Payload.Write("k" + p, i));
                    recorder.ok(p, new Payload.Write("k" + p, i));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        History h = recorder.history();
        assertThat(h.ops()).hasSize(1600);
        assertThat(h.operations()).hasSize(800).allMatch(o -> o.outcome() == OpType.OK);
        for (int i = 1; i < h.size(); i++) {
            assertThat(h.ops().get(i).time()).isGreaterThan(h.ops().get(i - 1).time());
        }
    }

    @Test
    void historyRejectsACompletionWithoutInvocation() {
        assertThatThrownBy(() -> HistoryFormat.parse("1 p0 ok write x 1\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("completion for process 0 with no open invocation");
    }

    @Test
    void historyRejectsAnInvocationOnARetiredProcess() {
        assertThatThrownBy(() -> HistoryFormat.parse("""
                1 p0 invoke write x 1
                2 p0 info write x 1
                3 p0 invoke write x 2
                """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retired");
    }

    @Test
    void namesThatWouldBreakTheTextFormatAreRejected() {
        assertThatThrownBy(() -> new Payload.Write("a b", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MicroOp.Append("x;y", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Payload.Transfer("nil", "b", 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
