package dev.tokenauth.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Reads a request body that must be a JSON object of bounded size, and the typed fields in it. */
public final class JsonBody {

    /** Bodies above this are refused with 413 before they are parsed. */
    public static final int MAX_BYTES = 64 * 1024;

    /**
     * Before a 413, up to this much of the refused body is read and thrown away, as Tomcat does by itself
     * (maxSwallowSize): Payara's Grizzly stops reading, and a client that sends its whole body before it reads
     * the answer (java.net.http does) would wait for it until it times out. Past this, the container decides.
     */
    static final int DISCARD_LIMIT = 1024 * 1024;

    private JsonBody() {
    }

    /** The body as a JSON object; an empty body counts as {@code {}}. */
    public static JsonObject readOptional(HttpServletRequest request) throws IOException, RequestRejected {
        return read(request, true);
    }

    public static JsonObject read(HttpServletRequest request) throws IOException, RequestRejected {
        return read(request, false);
    }

    private static JsonObject read(HttpServletRequest request, boolean emptyIsObject)
            throws IOException, RequestRejected {
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            if (request.getContentLengthLong() > MAX_BYTES) {
                throw tooLarge(in);
            }
            // Chunked bodies carry no length: read one byte past the limit to know it was exceeded.
            bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw tooLarge(in);
            }
        }
        if (emptyIsObject && new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        JsonValue value;
        try (JsonReader reader = JsonFactories.reader(new StringReader(new String(bytes, StandardCharsets.UTF_8)))) {
            value = reader.readValue();
        } catch (JsonException | UnsupportedOperationException | ArithmeticException | NumberFormatException e) {
            // Parsson refuses a number longer than its limit with UnsupportedOperationException, not JsonException.
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, "Request body is not valid JSON.");
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, "Request body must be a JSON object.");
        }
        return value.asJsonObject();
    }

    /** The string field {@code name}, which must be present. */
    public static String requiredString(JsonObject body, String name) throws RequestRejected {
        JsonValue value = body.get(name);
        if (value == null) {
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, "Missing field: " + name + ".");
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, "Field '" + name + "' must be a string.");
        }
        return ((JsonString) value).getString();
    }

    /** The string field {@code name}, or null when absent. */
    public static String optionalString(JsonObject body, String name) throws RequestRejected {
        return body.containsKey(name) ? requiredString(body, name) : null;
    }

    /** The whole-number field {@code name}, or null when absent. */
    public static Long optionalLong(JsonObject body, String name) throws RequestRejected {
        JsonValue value = body.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof JsonNumber n && n.isIntegral()) {
            try {
                return n.longValueExact();
            } catch (ArithmeticException e) {
                // out of range: reported below
            }
        }
        throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, "Field '" + name + "' must be a whole number.");
    }

    /** The boolean field {@code name}, or {@code otherwise} when absent. */
    public static boolean optionalBoolean(JsonObject body, String name, boolean otherwise) throws RequestRejected {
        JsonValue value = body.get(name);
        if (value == null) {
            return otherwise;
        }
        if (value.getValueType() == JsonValue.ValueType.TRUE || value.getValueType() == JsonValue.ValueType.FALSE) {
            return value.getValueType() == JsonValue.ValueType.TRUE;
        }
        throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, "Field '" + name + "' must be true or false.");
    }

    private static RequestRejected tooLarge(InputStream in) throws IOException {
        byte[] discard = new byte[8192];
        long left = DISCARD_LIMIT;
        int n;
        while (left > 0 && (n = in.read(discard, 0, (int) Math.min(discard.length, left))) != -1) {
            left -= n;
        }
        return new RequestRejected(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                "Request body is larger than " + MAX_BYTES + " bytes.");
    }
}
