package dev.meridian.server.workload;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTextTest {

    @Test
    void rendersATreeThatParsesBackToTheSameValues() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("quote\"back\\slash", "line\nbreak\ttab\u0001ctl");
        inner.put("empty", List.of());
        inner.put("nothing", new LinkedHashMap<>());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("n", 42L);
        root.put("x", 1.5e-7);
        root.put("nan", Double.NaN);
        root.put("flag", true);
        root.put("null", null);
        root.put("list", List.of(1, "two", inner));
        Object parsed = MiniJson.parse(JsonText.render(root));
        assertThat(parsed).isInstanceOf(Map.class);
        Map<?, ?> map = (Map<?, ?>) parsed;
        assertThat(List.copyOf(map.keySet())).isEqualTo(List.of("n", "x", "nan", "flag", "null", "list"));
        assertThat(map.get("n")).isEqualTo(42.0);
        assertThat(map.get("x")).isEqualTo(1.5e-7);
        assertThat(map.get("nan")).isNull();
        assertThat(map.get("flag")).isEqualTo(true);
        List<?> list = (List<?>) map.get("list");
        assertThat(list.get(1)).isEqualTo("two");
        Map<?, ?> back = (Map<?, ?>) list.get(2);
        assertThat(back.get("quote\"back\\slash")).isEqualTo("line\nbreak\ttab\u0001ctl");
        assertThat(back.get("empty")).isEqualTo(List.of());
        assertThat(back.get("nothing")).isEqualTo(Map.of());
    }

    @Test
    void refusesWhatJsonCannotHold() {
        assertThatThrownBy(() -> JsonText.render(List.of(new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON value");
    }
}
