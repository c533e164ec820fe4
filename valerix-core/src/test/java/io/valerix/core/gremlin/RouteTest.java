package io.valerix.core.gremlin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTest {

    @ParameterizedTest(name = "{0} matches {1} {2}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
          PUT /reservations/*   | PUT    | /reservations/o-1         | true
          PUT /reservations/*   | PUT    | /reservations/o-1?x=1     | true
          PUT /reservations/*   | GET    | /reservations/o-1         | false
          PUT /reservations/*   | PUT    | /reservations             | false
          PUT /reservations/*   | PUT    | /reservations/            | false
          PUT /reservations/*   | PUT    | /reservations/o-1/items   | false
          PUT /reservations/*   | PUT    | /orders/o-1               | false
          * /reservations/*     | DELETE | /reservations/o-1         | true
          * /reservations/**    | GET    | /reservations             | true
          * /reservations/**    | GET    | /reservations/o-1/items/3 | true
          * /reservations/**    | GET    | /reservationsX            | false
          GET /*/items          | GET    | /orders/items             | true
          GET /*/items          | GET    | /orders/o-1/items         | false
          GET /                 | GET    | /                         | true
          GET /                 | GET    | /health                   | false
          * /**                 | PATCH  | /anything/at/all          | true
          * /**                 | GET    | /                         | true
          """)
    void patternsMatchWholeSegments(String route, String method, String path, boolean matches) {
        assertThat(Route.parse(route).matches(method, path)).isEqualTo(matches);
    }

    @Test
    void theAnyRouteIsStarSlashStarStar() {
        assertThat(Route.parse("* /**")).isEqualTo(Route.any());
        assertThat(Route.parse("* /**").isAny()).isTrue();
        assertThat(Route.any()).hasToString("* /**");
    }

    @Test
    void methodsAreMatchedExactly() {
        assertThat(Route.parse("PUT /x").matches("put", "/x")).isFalse();
    }

    @Test
    void nullArgumentsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> Route.of(null, "/x"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("method");
        assertThatThrownBy(() -> Route.any().matches("GET", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("path");
    }

    @Test
    void anEmptySegmentIsRejected() {
        assertThatThrownBy(() -> Route.parse("GET /a//b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("route pattern must not have an empty segment, but was '/a//b'");
    }
}
