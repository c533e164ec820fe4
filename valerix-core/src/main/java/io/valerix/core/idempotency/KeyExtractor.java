package io.valerix.core.idempotency;

import io.valerix.core.http.Request;
import io.valerix.core.idempotency.internal.BodyFieldKeyExtractor;
import java.util.Optional;

/**
 * Finds an idempotency key in a request that has no {@code Idempotency-Key} header, for example
 * an order id in the body. The filter validates what it returns like a header key (not empty, no
 * control characters, not longer than the maximum).
 *
 * <p>Implementations must be thread-safe. They may throw {@link
 * io.valerix.core.http.ProblemException} to refuse the request; anything else they throw becomes a
 * 500 answer.
 */
@FunctionalInterface
public interface KeyExtractor {

    /** The key, or empty if this request has none. */
    Optional<String> extract(Request request);

    /**
     * The value of the top-level field {@code name} of a JSON object body, if it is a string or an
     * integer (written in decimal); empty when the body is not a JSON object or lacks the field.
     *
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is empty
     */
    static KeyExtractor bodyField(String name) {
        return new BodyFieldKeyExtractor(name);
    }
}
