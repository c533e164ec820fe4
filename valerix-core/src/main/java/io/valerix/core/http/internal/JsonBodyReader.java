package io.valerix.core.http.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.valerix.core.http.ProblemType;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Reads a JSON body into a type and turns every way that can fail into a problem that names the
 * place (line and column, or the field) without Jackson's internals such as class names.
 */
public final class JsonBodyReader {

    private JsonBodyReader() {}

    public static <T> T read(ObjectMapper mapper, String contentType, byte[] body, Class<T> type) {
        if (!isJson(contentType)) {
            throw ProblemType.UNSUPPORTED_MEDIA_TYPE.exception(
                    "the body must be application/json, but Content-Type was "
                            + (contentType == null ? "missing" : "'" + contentType + "'"));
        }
        if (body.length == 0) {
            throw ProblemType.MALFORMED_JSON.exception("the body is empty; a JSON document was expected");
        }
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw ProblemType.INVALID_REQUEST.exception("the body is JSON null; an object was expected");
            }
            return value;
        } catch (ValueInstantiationException e) {
            // Records validate in their constructors; those messages are written for callers.
            Throwable cause = e.getCause();
            String reason = cause instanceof IllegalArgumentException || cause instanceof NullPointerException
                    ? cause.getMessage()
                    : "invalid value";
            throw ProblemType.INVALID_REQUEST.exception(reason);
        } catch (InvalidFormatException e) {
            throw ProblemType.INVALID_REQUEST.exception("field '" + path(e) + "' has an invalid value"
                    + (e.getValue() == null ? "" : " '" + e.getValue() + "'") + "; expected "
                    + describe(e.getTargetType()));
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw ProblemType.INVALID_REQUEST.exception(
                    field.isEmpty()
                            ? "the body does not have the expected shape; expected " + describe(e.getTargetType())
                            : "field '" + field + "' is missing or has the wrong type; expected "
                                    + describe(e.getTargetType()));
        } catch (StreamConstraintsException e) {
            throw ProblemType.MALFORMED_JSON.exception(
                    "the JSON document is too deeply nested or has a value that is too long");
        } catch (StreamReadException e) {
            throw ProblemType.MALFORMED_JSON.exception("the body is not valid JSON" + at(e.getLocation()) + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (JsonMappingException e) {
            throw ProblemType.INVALID_REQUEST.exception(
                    "the body does not have the expected shape" + (path(e).isEmpty() ? "" : " at '" + path(e) + "'"));
        } catch (JsonProcessingException e) {
            throw ProblemType.MALFORMED_JSON.exception("the body is not valid JSON");
        } catch (IOException e) {
            throw ProblemType.MALFORMED_JSON.exception("the body could not be read");
        }
    }

    /** True for {@code application/json} and any {@code application/*+json}, with parameters. */
    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim()
                .toLowerCase(java.util.Locale.ROOT);
        return mediaType.equals("application/json")
                || (mediaType.startsWith("application/") && mediaType.endsWith("+json"));
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a value";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == java.math.BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
