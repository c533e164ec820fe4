package io.valerix.harness.dashboard.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The page and its files, read from the class path once, so the dashboard needs no network and
 * no file system. Only the names listed here are served; a request cannot name any other file.
 *
 * <p>Immutable and thread-safe.
 */
public final class Assets {

    private static final String ROOT = "/io/valerix/harness/web/";

    /** A file to serve. */
    public record Asset(String contentType, byte[] bytes) {}

    private final Asset page;
    private final Map<String, Asset> files;

    private Assets(Asset page, Map<String, Asset> files) {
        this.page = page;
        this.files = files;
    }

    /**
     * Loads every file.
     *
     * @throws IllegalStateException if one is missing from the class path (a broken build)
     */
    public static Assets load() {
        Map<String, Asset> files = new LinkedHashMap<>();
        files.put("dashboard.css", read("dashboard.css", "text/css; charset=utf-8"));
        files.put("dashboard.js", read("dashboard.js", "text/javascript; charset=utf-8"));
        files.put("uPlot.iife.min.js", read("vendor/uplot/uPlot.iife.min.js", "text/javascript; charset=utf-8"));
        files.put("uPlot.min.css", read("vendor/uplot/uPlot.min.css", "text/css; charset=utf-8"));
        files.put("favicon.svg", read("favicon.svg", "image/svg+xml"));
        return new Assets(read("dashboard.html", "text/html; charset=utf-8"), Map.copyOf(files));
    }

    /** The page itself. */
    public Asset page() {
        return page;
    }

    /** A file by its name under {@code /dashboard/assets/}. */
    public Optional<Asset> file(String name) {
        return Optional.ofNullable(files.get(name));
    }

    private static Asset read(String path, String contentType) {
        try (InputStream in = Assets.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file " + ROOT + path + " is missing from the class path");
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading dashboard file " + ROOT + path + " failed", e);
        }
    }
}
