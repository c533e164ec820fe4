package io.valerix.harness.html;

/**
 * The kit both Valerix HTML reports are written with, the chaos run's ({@code valerix report}) and
 * the benchmarks' ({@code bin/bench}): one escaping function and one page skeleton with the base
 * style they share. Pages are self-contained (styles inlined, no external file), so they open
 * anywhere and can be archived as they are. Stateless and thread-safe.
 */
public final class Html {

    /**
     * What both reports look like underneath their own styles: the type, the ink, tables with
     * aligned figures, monospace code. A page's own styles come after it and win.
     */
    public static final String BASE_CSS = """
      body { font: 15px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1d232b; margin: 0 auto; }
      table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
      th, td { text-align: left; vertical-align: top; }
      code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
      """;

    private Html() {}

    /**
     * The text safe in element content and in quoted attribute values: {@code < > & " '} become
     * entities. Null becomes the empty string, so a missing value renders as nothing.
     */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Opens a page in {@code out}: doctype, UTF-8, a viewport for phones, the title (escaped), {@link
     * #BASE_CSS} and then each of {@code styles} (as given: they are the page's own, not user text),
     * up to and including {@code <body>}. {@link #close} ends it.
     */
    public static StringBuilder open(StringBuilder out, String title, String... styles) {
        out.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>")
                .append(escape(title))
                .append("</title>\n")
                .append("<style>\n")
                .append(BASE_CSS)
                .append("</style>\n");
        for (String style : styles) {
            out.append("<style>\n").append(style).append("</style>\n");
        }
        return out.append("</head><body>\n");
    }

    /** Ends a page {@link #open} began. */
    public static StringBuilder close(StringBuilder out) {
        return out.append("</body></html>\n");
    }
}
