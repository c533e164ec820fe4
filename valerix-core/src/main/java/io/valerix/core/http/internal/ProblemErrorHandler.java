package io.valerix.core.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.valerix.core.http.Problem;
import io.valerix.core.http.ProblemType;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers every error Jetty raises by itself (a bad request line, a bad chunk, headers or a URI
 * too large, an unsupported HTTP version, a failure outside the Valerix handler) as RFC 9457
 * problem+json with a {@code urn:valerix:problem:*} type, never Jetty's HTML page.
 *
 * <p>The detail is Jetty's HTTP reason phrase at most (for example "Bad chunk size"); an exception's
 * class name or message never reaches the client. Thread-safe.
 */
public final class ProblemErrorHandler extends ErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorHandler.class);

    private final ObjectMapper mapper;

    public ProblemErrorHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        String reason = null;
        Throwable cause = (Throwable) request.getAttribute(ERROR_EXCEPTION);
        if (cause instanceof HttpException http) {
            status = http.getCode();
            reason = http.getReason();
        } else if (cause != null) {
            log.debug("the HTTP layer failed a request", cause);
        }
        if (status < 400 || status > 599) {
            status = 500;
        }
        response.setStatus(status);
        if (HttpStatus.hasNoBody(status) || HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        Problem problem = Problem.of(typeFor(status), detailFor(status, reason));
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        if (path != null && !path.isEmpty()) {
            problem = problem.withInstance(path);
        }
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (status == 503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** The problem type for a status the HTTP layer answers with. */
    static ProblemType typeFor(int status) {
        return switch (status) {
            case 400 -> ProblemType.INVALID_REQUEST;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 408 -> ProblemType.REQUEST_TIMEOUT;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 414 -> ProblemType.URI_TOO_LONG;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case 431 -> ProblemType.HEADER_TOO_LARGE;
            case 500 -> ProblemType.INTERNAL;
            case 503 -> ProblemType.OVERLOADED;
            case 505 -> ProblemType.HTTP_VERSION_NOT_SUPPORTED;
            // Any other status Jetty may raise (417, 501, ...) gets a stable type of its own.
            default -> ProblemType.of("http-" + status, titleOf(status), status);
        };
    }

    private static String detailFor(int status, String reason) {
        String text = reason == null || reason.isBlank() ? null : reason.strip();
        return switch (status) {
            case 400 -> "the request is not valid HTTP/1.1" + (text == null ? "" : ": " + text);
            case 408 -> "the request did not arrive in time";
            case 414 -> "the request target is longer than the server accepts";
            case 431 -> "the request headers are larger than the server accepts";
            case 505 -> "the HTTP version is not supported; use HTTP/1.1";
            case 500 -> "the server failed to answer; the failure is logged";
            default -> text == null ? titleOf(status) : text;
        };
    }

    private static String titleOf(int status) {
        String message = HttpStatus.getMessage(status);
        return message == null ? "HTTP " + status : message;
    }
}
