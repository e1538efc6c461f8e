package dev.tokenauth.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Reads a request body of bounded size, and parses a JSON one strictly: an object of fields whose values are
 * strings, numbers, booleans, null or arrays of those. Our bodies are flat, so anything nested deeper is refused
 * before it is built (a thousand levels of {@code [[[[} made Parsson throw a plain RuntimeException, a 500 with
 * a stack trace in the log), and so is a field named twice (which one counts would depend on the parser). Every
 * parser failure, whatever the exception, is a 400.
 */
public final class JsonBody {

    /** Bodies above this are refused with 413 before they are parsed. */
    public static final int MAX_BYTES = 64 * 1024;

    /**
     * Before a 413, up to this much of the refused body is read and thrown away, as Tomcat does by itself
     * (maxSwallowSize): Payara's Grizzly stops reading, and a client that sends its whole body before it reads
     * the answer (java.net.http does) would wait for it until it times out. Past this, the container decides.
     */
    static final int DISCARD_LIMIT = 1024 * 1024;

    static final String NOT_JSON = "Request body is not valid JSON.";
    static final String NOT_AN_OBJECT = "Request body must be a JSON object.";
    static final String TOO_DEEP = "Request body is nested too deeply: fields hold strings, numbers, booleans, "
            + "null or arrays of those.";

    private JsonBody() {
    }

    /** The body's bytes, at most {@link #MAX_BYTES}; more is refused with 413. */
    static byte[] bytes(HttpServletRequest request) throws IOException, RequestRejected {
        try (InputStream in = request.getInputStream()) {
            if (request.getContentLengthLong() > MAX_BYTES) {
                throw tooLarge(in);
            }
            // Chunked bodies carry no length: read one byte past the limit to know it was exceeded.
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw tooLarge(in);
            }
            return bytes;
        }
    }

    /** {@code text} as a flat JSON object, its fields in the order sent. */
    static Map<String, JsonValue> parseObject(String text) throws RequestRejected {
        try (JsonParser parser = JsonFactories.parser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw rejected(NOT_AN_OBJECT);
            }
            Map<String, JsonValue> fields = new LinkedHashMap<>();
            for (JsonParser.Event event = parser.next(); event != JsonParser.Event.END_OBJECT; event = parser.next()) {
                String name = parser.getString();
                JsonValue value = fieldValue(parser, parser.next());
                if (fields.putIfAbsent(name, value) != null) {
                    throw rejected("Field '" + name + "' is given more than once.");
                }
            }
            if (parser.hasNext()) {
                throw rejected(NOT_JSON);
            }
            return fields;
        } catch (RequestRejected e) {
            throw e;
        } catch (RuntimeException e) {
            // JsonParsingException, JsonException, and what providers throw besides (Parsson: a plain
            // RuntimeException for deep nesting, UnsupportedOperationException for an overlong number).
            throw rejected(NOT_JSON);
        }
    }

    private static JsonValue fieldValue(JsonParser parser, JsonParser.Event event) throws RequestRejected {
        return switch (event) {
            case START_OBJECT -> throw rejected(TOO_DEEP);
            case START_ARRAY -> {
                JsonArrayBuilder array = JsonFactories.array();
                for (JsonParser.Event item = parser.next(); item != JsonParser.Event.END_ARRAY; item = parser.next()) {
                    if (item == JsonParser.Event.START_ARRAY || item == JsonParser.Event.START_OBJECT) {
                        throw rejected(TOO_DEEP);
                    }
                    array.add(parser.getValue());
                }
                yield array.build();
            }
            default -> parser.getValue();
        };
    }

    /** A string value, or null when absent (JSON null is not a string). */
    static String string(String name, JsonValue value) throws RequestRejected {
        if (value == null) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw rejected("Field '" + name + "' must be a string.");
        }
        return ((JsonString) value).getString();
    }

    /** A whole-number value, or null when absent. */
    static Long wholeNumber(String name, JsonValue value) throws RequestRejected {
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
        throw rejected("Field '" + name + "' must be a whole number.");
    }

    /** A boolean value, or null when absent. */
    static Boolean bool(String name, JsonValue value) throws RequestRejected {
        if (value == null) {
            return null;
        }
        if (value.getValueType() == JsonValue.ValueType.TRUE || value.getValueType() == JsonValue.ValueType.FALSE) {
            return value.getValueType() == JsonValue.ValueType.TRUE;
        }
        throw rejected("Field '" + name + "' must be true or false.");
    }

    private static RequestRejected rejected(String msg) {
        return new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, msg);
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
