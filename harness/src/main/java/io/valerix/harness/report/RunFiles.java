package io.valerix.harness.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.valerix.core.http.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a run directory, and reading and writing them as JSON.
 *
 * <ul>
 *   <li>{@value #RUN}: {@link RunInfo}, how the run was set up;
 *   <li>{@value #SUMMARY}: {@link RunSummary}, the verdict and its figures;
 *   <li>{@value #CLIENT}: {@link AttemptRecord} lines, every request the workload sent;
 *   <li>{@value #HEALTH}: {@link HealthSample} lines, both services' health once a second;
 *   <li>{@value #GREMLIN}: the inventory gremlin's decisions ({@link io.valerix.core.gremlin.DecisionLog}
 *       lines), when the harness started the services;
 *   <li>{@value #ORDERS}, {@value #RESERVATIONS}, {@value #STOCK}: what the check read from the
 *       two databases;
 *   <li>{@value #REPORT}: the HTML report, rendered from the files above.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class RunFiles {

    public static final String RUN = "run.json";
    public static final String SUMMARY = "summary.json";
    public static final String CLIENT = "client.jsonl";
    public static final String HEALTH = "health.jsonl";
    public static final String GREMLIN = "gremlin.jsonl";
    public static final String ORDERS = "orders.jsonl";
    public static final String RESERVATIONS = "reservations.jsonl";
    public static final String STOCK = "stock.json";
    public static final String REPORT = "report.html";

    private static final ObjectMapper MAPPER = Json.newMapper()
            .copy()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper LINES = Json.newMapper()
            .copy()
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private RunFiles() {}

    /** The mapper for single-document files (indented). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** One value as one JSON line, without the newline. */
    public static String toLine(Object value) {
        try {
            return LINES.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, Object value) {
        try {
            Files.write(file, MAPPER.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + " failed", e);
        }
    }

    public static <T> T read(Path file, Class<T> type) {
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " failed: " + e.getMessage(), e);
        }
    }

    public static void writeLines(Path file, List<?> values) {
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Object value : values) {
                out.write(toLine(value));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + " failed", e);
        }
    }

    /** The lines of a JSON-lines file; an empty list if the file does not exist. */
    public static <T> List<T> readLines(Path file, Class<T> type) {
        List<T> values = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    values.add(LINES.readValue(line, type));
                } catch (IOException e) {
                    throw new UncheckedIOException(
                            "line " + number + " of " + file + " is not a " + type.getSimpleName() + ": "
                                    + e.getMessage(),
                            e);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + " failed", e);
        }
        return values;
    }

    /** An unmodifiable copy that keeps the iteration order, so JSON files list keys as given. */
    static <K, V> Map<K, V> ordered(Map<K, V> map) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
