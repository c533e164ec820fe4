package io.valerix.harness.html;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void everyCharacterThatCouldOpenATagOrCloseAnAttributeIsEscaped() {
        assertThat(Html.escape("<script>alert('x' & \"y\")</script>"))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;");
    }

    @Test
    void aMissingValueRendersAsNothingAndPlainTextAsItself() {
        assertThat(Html.escape(null)).isEmpty();
        assertThat(Html.escape("order run-7-000042 · 1,981 ms")).isEqualTo("order run-7-000042 · 1,981 ms");
    }

    @Test
    void aPageHasTheEscapedTitleTheBaseStyleThenItsOwnAndIsClosed() {
        StringBuilder page = Html.open(new StringBuilder(), "run <1> & \"2\"", "h1 { color: red }");
        Html.close(page.append("<h1>hello</h1>\n"));

        String html = page.toString();
        assertThat(html)
                .startsWith("<!doctype html>\n")
                .contains("<meta charset=\"utf-8\">")
                .contains("<title>run &lt;1&gt; &amp; &quot;2&quot;</title>")
                .endsWith("<h1>hello</h1>\n</body></html>\n");
        assertThat(html.indexOf(Html.BASE_CSS))
                .as("the base style comes first, so a page's own wins")
                .isPositive()
                .isLessThan(html.indexOf("h1 { color: red }"));
        assertThat(html.indexOf("</head><body>")).isGreaterThan(html.indexOf("h1 { color: red }"));
    }
}
