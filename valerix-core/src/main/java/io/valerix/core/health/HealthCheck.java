package io.valerix.core.health;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A named readiness check behind {@code GET /health}, such as a database ping; any check that is
 * {@link HealthReport.Status#DOWN DOWN} makes the whole report DOWN (HTTP 503).
 *
 * <pre>{@code
 * HealthCheck database = () -> {
 *   try (Connection c = dataSource.getConnection()) {
 *     return c.isValid(1) ? HealthCheck.Result.up() : HealthCheck.Result.down("ping failed");
 *   } catch (SQLException e) {
 *     return HealthCheck.Result.down(e.getMessage());
 *   }
 * };
 * }</pre>
 *
 * <p>Checks run on the thread that asks for the report, one after another, on every request:
 * they must be thread-safe and bound their own time (a hanging check hangs {@code /health}). A
 * check that throws counts as DOWN, with the exception as detail.
 */
@FunctionalInterface
public interface HealthCheck {

    /** Runs the check now. */
    Result check();

    /**
     * A check's verdict. Immutable.
     *
     * @param status UP or DOWN
     * @param detail a short human-readable explanation, or null; never a secret
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Result(HealthReport.Status status, String detail) {

        /** Checks the status is given. */
        public Result {
            Objects.requireNonNull(status, "status");
        }

        /** UP, nothing to add. */
        public static Result up() {
            return new Result(HealthReport.Status.UP, null);
        }

        /** UP, with a detail such as the database version. */
        public static Result up(String detail) {
            return new Result(HealthReport.Status.UP, Objects.requireNonNull(detail, "detail"));
        }

        /** DOWN, saying why. */
        public static Result down(String detail) {
            return new Result(HealthReport.Status.DOWN, Objects.requireNonNull(detail, "detail"));
        }
    }
}
