package dev.meridian.testkit.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HistoryFormatTest {

    static final String EVERY_KIND = """
            100 p0 invoke write x 3
            110 p1 invoke read x nil
            120 p0 ok write x 3
            130 p1 ok read x 3
            140 p2 invoke cas x 3 4
            150 p2 info cas x 3 4
            160 p3 invoke read y nil
            170 p3 ok read y nil
            180 p4 invoke transfer a b 5
            190 p4 fail transfer a b 5
            200 p5 invoke read-all nil
            210 p5 ok read-all a=10 b=nil c=-5
            220 p6 invoke txn append x 1; read y nil; read z nil
            230 p6 ok txn append x 1; read y [1,2]; read z []
            240 p7 invoke txn read x nil
            """;

    @Test
    void printIsTheInverseOfParse() {
        History h = HistoryFormat.parse(EVERY_KIND);
        assertThat(HistoryFormat.print(h)).isEqualTo(EVERY_KIND);
        assertThat(HistoryFormat.parse(HistoryFormat.print(h))).isEqualTo(h);
    }

    @Test
    void parsesValuesIntoPayloads() {
        History h = HistoryFormat.parse(EVERY_KIND);
        assertThat(h.ops().get(11).payload()).isEqualTo(new Payload.ReadAll(balances()));
        assertThat(h.ops().get(13).payload()).isEqualTo(new Payload.Txn(List.of(
                new MicroOp.Append("x", 1), new MicroOp.Read("y", List.of(1L, 2L)), new MicroOp.Read("z", List.of()))));
        assertThat(h.ops().get(7).payload()).isEqualTo(new Payload.Read("y", null));
        assertThat(h.operations().get(2).outcome()).isEqualTo(OpType.INFO);
        assertThat(h.operations().get(7).outcome()).isEqualTo(OpType.INFO);
        assertThat(h.operations().get(6).outcome()).isEqualTo(OpType.OK);
    }

    private static TreeMap<String, Long> balances() {
        TreeMap<String, Long> m = new TreeMap<>();
        m.put("a", 10L);
        m.put("b", null);
        m.put("c", -5L);
        return m;
    }

    @Test
    void ignoresCommentsAndBlankLines() {
        History h = HistoryFormat.parse("# a comment\n\n1 p0 invoke write x 1\n   \n2 p0 ok write x 1\n");
        assertThat(h.ops()).hasSize(2);
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> HistoryFormat.parse("1 p0 invoke write x 1\n2 p0 ok frobnicate x 1\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2").hasMessageContaining("frobnicate");
        assertThatThrownBy(() -> HistoryFormat.parse("1 p0 invoke txn read x [1 2]\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
    }

    @Test
    void recordedRandomHistoryRoundTripsThroughAFile(@TempDir Path dir) throws Exception {
        Random random = new Random(42);
        long[] now = {0};
        HistoryRecorder recorder = new HistoryRecorder(() -> now[0] += 1 + random.nextInt(5));
        List<Integer> processes = new ArrayList<>(List.of(recorder.newProcess(), recorder.newProcess(), recorder.newProcess()));
        long value = 0;
        for (int i = 0; i < 300; i++) {
            int slot = random.nextInt(processes.size());
            int p = processes.get(slot);
            if (!recorder.isOpen(p)) {
                Payload asked = switch (random.nextInt(3)) {
                    case 0 -> new Payload.Write("k" + random.nextInt(3), ++value);
                    case 1 -> new Payload.Cas("k" + random.nextInt(3), value, ++value);
                    default -> new Payload.Txn(List.of(new MicroOp.Append("k1", ++value), MicroOp.Read.of("k2")));
                };
                recorder.invoke(p, asked);
                continue;
            }
            Payload asked = recorder.history().ops().reversed().stream()
                    .filter(o -> o.process() == p).findFirst().orElseThrow().payload();
            Payload observed = asked instanceof Payload.Txn t
                    ? new Payload.Txn(List.of(t.ops().get(0), new MicroOp.Read("k2", List.of(1L, value))))
                    : asked;
            switch (random.nextInt(4)) {
                case 0 -> recorder.fail(p, asked);
                case 1 -> {
                    recorder.info(p, asked);
                    processes.set(slot, recorder.newProcess());
                }
                default -> recorder.ok(p, observed);
            }
        }
        History h = recorder.history();
        Path file = dir.resolve("history.txt");
        HistoryFormat.write(h, file);
        assertThat(HistoryFormat.read(file)).isEqualTo(h);
        assertThat(h.operations()).extracting(Operation::outcome).contains(OpType.OK, OpType.FAIL, OpType.INFO);
    }
}
