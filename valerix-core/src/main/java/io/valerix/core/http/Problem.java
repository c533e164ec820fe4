package io.valerix.core.http;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem details object, the body of every error Valerix answers with
 * ({@code application/problem+json}).
 *
 * <p>Immutable. Extension members (say, {@code allowed} methods or a {@code field}) are kept in
 * {@link #extensions()} and serialized beside the standard members.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Problem {

    /** The media type of a problem body. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private final URI type;
    private final String title;
    private final int status;
    private final String detail;
    private final String instance;
    private final Map<String, Object> extensions;

    private Problem(
            URI type, String title, int status, String detail, String instance, Map<String, Object> extensions) {
        this.type = Objects.requireNonNull(type, "type");
        this.title = title;
        this.status = status;
        this.detail = detail;
        this.instance = instance;
        this.extensions = new LinkedHashMap<>(extensions);
    }

    /** A problem of {@code type} with {@code detail} explaining this occurrence. */
    public static Problem of(ProblemType type, String detail) {
        return new Problem(type.type(), type.title(), type.status(), detail, null, Map.of());
    }

    @JsonCreator
    static Problem fromJson(
            @JsonProperty("type") URI type,
            @JsonProperty("title") String title,
            @JsonProperty("status") Integer status,
            @JsonProperty("detail") String detail,
            @JsonProperty("instance") String instance) {
        return new Problem(
                type == null ? URI.create("about:blank") : type,
                title,
                status == null ? 0 : status,
                detail,
                instance,
                Map.of());
    }

    /** A copy with an extension member added. */
    public Problem with(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(extensions);
        copy.put(Objects.requireNonNull(name, "name"), value);
        return new Problem(type, title, status, detail, instance, copy);
    }

    /** A copy whose {@code instance} names the request that failed. */
    public Problem withInstance(String instance) {
        return new Problem(type, title, status, detail, instance, extensions);
    }

    @JsonProperty
    public URI type() {
        return type;
    }

    @JsonProperty
    public String title() {
        return title;
    }

    @JsonProperty
    public int status() {
        return status;
    }

    @JsonProperty
    public String detail() {
        return detail;
    }

    @JsonProperty
    public String instance() {
        return instance;
    }

    /** Extension members beyond the standard five, unmodifiable. */
    @JsonIgnore
    public Map<String, Object> extensions() {
        return Collections.unmodifiableMap(extensions);
    }

    @JsonAnyGetter
    Map<String, Object> jsonExtensions() {
        return extensions();
    }

    @JsonAnySetter
    private void readExtension(String name, Object value) {
        // Only reached while Jackson builds an instance from JSON, before anyone else sees it.
        extensions.put(name, value);
    }

    @Override
    public String toString() {
        return status + " " + type + (detail == null ? "" : ": " + detail);
    }
}
