package io.valerix.core.http;

import java.util.List;
import java.util.Map;

/**
 * A successful (2xx) reply to a {@link JsonClient} call.
 *
 * @param status the HTTP status
 * @param headers the reply's headers by lower-case name
 * @param body the body mapped to the requested type, or null if there was none
 * @param <T> the body type
 */
public record JsonResponse<T>(int status, Map<String, List<String>> headers, T body) {

    /** The first value of a header (case-insensitive), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
