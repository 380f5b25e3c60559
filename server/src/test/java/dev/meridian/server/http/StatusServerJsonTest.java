package dev.meridian.server.http;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JSON writer behind the status pages, and the test parser that checks it. */
class StatusServerJsonTest {

    @Test
    void writesNestedDocumentsWithCommasWhereTheyBelong() {
        String json = new JsonWriter().beginObject()
                .name("a").value(1)
                .name("b").beginArray().value(true).nullValue().beginObject().endObject().beginArray().endArray().endArray()
                .name("c").value((String) null)
                .endObject().toJson();

        assertThat(json).isEqualTo("{\"a\":1,\"b\":[true,null,{},[]],\"c\":null}");
    }

    @Test
    void escapesStringsSoTheyParseBackUnchanged() {
        String nasty = "quote\" back\\slash \n\r\t\b\f ctl\u0001 del\u007f é \uD83D\uDE00 lone\uD800 end";
        String json = new JsonWriter().beginObject().name(nasty).value(nasty).endObject().toJson();

        assertThat(json).contains("\\\"", "\\\\", "\\n", "\\r", "\\t", "\\b", "\\f", "\\u0001", "\\ud800")
                .doesNotContain("\n").doesNotContain("\u0001");
        assertThat(JsonTestParser.parse(json)).isEqualTo(Map.of(nasty, nasty));
    }

    @Test
    void misuseIsRefusedRatherThanWrittenAsBrokenJson() {
        assertThatThrownBy(() -> new JsonWriter().beginObject().value(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginArray().name("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginArray().endObject()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().value(1).value(2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().toJson()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theTestParserRejectsMalformedJson() {
        for (String bad : List.of("{\"a\":1,}", "[1 2]", "{\"a\":1,\"a\":2}", "\"raw\ncontrol\"", "01", "[1]x", "{a:1}")) {
            assertThatThrownBy(() -> JsonTestParser.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(JsonTestParser.parse(" [1, -2.5e1, \"\\u0041\", false, null] "))
                .isEqualTo(Arrays.asList(1L, -25.0, "A", false, null));
    }

    @Test
    void healthRejectsAnUnhealthyStateWithoutAReason() {
        assertThatThrownBy(() -> StatusSource.Health.unavailable(" ", 1, "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatusSource.Health.ok(-1, "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StatusSource.Health.ok(1, null)).isInstanceOf(NullPointerException.class);
    }
}
