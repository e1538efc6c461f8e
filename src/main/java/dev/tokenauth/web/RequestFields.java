package dev.tokenauth.web;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The fields an API endpoint reads, under one rule for every endpoint, so that nothing a client sends is dropped
 * without a word or read in a way the client did not mean:
 * <ul>
 * <li>A body is JSON when its Content-Type is {@code application/json} (UTF-8) or absent; a form
 *     ({@code application/x-www-form-urlencoded}) where the endpoint reads forms; JSON sent as a form (curl's
 *     {@code -d} without a content type) is a 400; any other media type a 415.</li>
 * <li>Query parameters are read only where the endpoint reads them; elsewhere any query parameter is a 400 (a
 *     {@code token} there gets its own message: URLs end up in access logs).</li>
 * <li>A field the endpoint does not know, one given twice, or fields both in the query and in the body, are a
 *     400 naming them.</li>
 * <li>A list field ({@link #strings}) is a JSON array of strings in a JSON body, and a repeated parameter in a form
 *     or query ({@code scopes=read&scopes=write}); it alone may be repeated.</li>
 * </ul>
 */
public final class RequestFields {

    /** Where an endpoint takes its fields from. */
    public enum From {
        /** A JSON body (POST); no query parameters. */
        JSON_BODY("Send a JSON body (Content-Type: application/json)."),
        /** A JSON or form body (POST); no query parameters. */
        BODY("Send the parameters as JSON (Content-Type: application/json) or as a form."),
        /** Query parameters (GET or POST), or a JSON or form body (POST), not both. */
        QUERY_OR_BODY("Send the parameters as JSON (Content-Type: application/json), as a form, or in the query."),
        /** Query parameters only (GET). */
        QUERY(null);

        private final String unsupportedMediaType;

        From(String unsupportedMediaType) {
            this.unsupportedMediaType = unsupportedMediaType;
        }

        boolean query() {
            return this == QUERY_OR_BODY || this == QUERY;
        }

        boolean body() {
            return this != QUERY;
        }

        boolean form() {
            return this == BODY || this == QUERY_OR_BODY;
        }
    }

    private static final Pattern ASCII_WHOLE_NUMBER = Pattern.compile("-?[0-9]+");

    private final Map<String, JsonValue> fields;
    private final boolean fromJson;

    private RequestFields(Map<String, JsonValue> fields, boolean fromJson) {
        this.fields = fields;
        this.fromJson = fromJson;
    }

    public static RequestFields read(HttpServletRequest request, From from, Set<String> known)
            throws IOException, RequestRejected {
        return read(request, from, known, Set.of());
    }

    /**
     * The fields of {@code request}; those named in {@code lists} (which must be among {@code known}) are lists of
     * strings, which a form or query gives by repeating the parameter.
     */
    public static RequestFields read(HttpServletRequest request, From from, Set<String> known, Set<String> lists)
            throws IOException, RequestRejected {
        Map<String, JsonValue> query = query(request.getQueryString(), from, lists);
        Map<String, JsonValue> body = Map.of();
        boolean json = false;
        if (from.body() && "POST".equals(request.getMethod())) {
            byte[] bytes = JsonBody.bytes(request);
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (!text.isBlank()) {
                json = isJson(request.getContentType(), from, text);
                body = json ? JsonBody.parseObject(text) : form(text, lists);
            }
        }
        if (!query.isEmpty() && !body.isEmpty()) {
            throw rejected("Give the fields either in the URL's query or in the body, not both.");
        }
        Map<String, JsonValue> fields = body.isEmpty() ? query : body;
        for (String name : fields.keySet()) {
            if (!known.contains(name)) {
                throw rejected(known.isEmpty() ? "This request takes no fields; '" + name + "' is not read."
                        : "Unknown field '" + name + "'; this request reads " + String.join(", ", known.stream()
                                .sorted().toList()) + ".");
            }
        }
        return new RequestFields(fields, json);
    }

    /** Whether a non-empty body is JSON, by its media type; refuses what the endpoint does not read. */
    private static boolean isJson(String contentType, From from, String text) throws RequestRejected {
        if (contentType == null) {
            return true;
        }
        String[] parts = contentType.split(";");
        String mediaType = parts[0].strip().toLowerCase(Locale.ROOT);
        if (mediaType.equals("application/json")) {
            for (int i = 1; i < parts.length; i++) {
                String[] parameter = parts[i].split("=", 2);
                if (parameter[0].strip().equalsIgnoreCase("charset") && (parameter.length < 2
                        || !parameter[1].strip().replace("\"", "").equalsIgnoreCase("utf-8"))) {
                    throw new RequestRejected(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                            "JSON is read in UTF-8 only.");
                }
            }
            return true;
        }
        if (mediaType.equals("application/x-www-form-urlencoded")) {
            String start = text.stripLeading();
            if (start.startsWith("{") || start.startsWith("[")) {
                // Read as a form, its fields would be lost without a word: a grace_seconds of 0 would become the
                // default day, a named token the calling one.
                throw rejected("The body is JSON sent as a form: send it with Content-Type: application/json.");
            }
            if (from.form()) {
                return false;
            }
        }
        throw new RequestRejected(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, from.unsupportedMediaType);
    }

    private static Map<String, JsonValue> query(String queryString, From from, Set<String> lists)
            throws RequestRejected {
        Map<String, JsonValue> query = form(queryString == null ? "" : queryString, lists);
        if (query.containsKey("token")) {
            throw rejected("Never put a token in a URL: send 'token' in the request body.");
        }
        if (!query.isEmpty() && !from.query()) {
            throw rejected("This request reads no query parameters: send '" + query.keySet().iterator().next()
                    + "' in the request body.");
        }
        return query;
    }

    /**
     * {@code name=value&...}, decoded as UTF-8; a name given twice is refused, but for those in {@code lists}, whose
     * values are gathered in a JSON array of strings, in the order given.
     */
    private static Map<String, JsonValue> form(String encoded, Set<String> lists) throws RequestRejected {
        if (encoded.isEmpty()) {
            // Most requests have no query: no maps, no split.
            return Map.of();
        }
        Map<String, JsonValue> fields = new LinkedHashMap<>();
        Map<String, JsonArrayBuilder> listed = new LinkedHashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] nameAndValue = pair.split("=", 2);
            String name;
            String value;
            try {
                name = URLDecoder.decode(nameAndValue[0], StandardCharsets.UTF_8);
                value = nameAndValue.length < 2 ? "" : URLDecoder.decode(nameAndValue[1], StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw rejected("Badly encoded parameter.");
            }
            if (lists.contains(name)) {
                listed.computeIfAbsent(name, n -> {
                    fields.put(n, JsonValue.EMPTY_JSON_ARRAY); // keeps the field's place; built below
                    return JsonFactories.array();
                }).add(value);
            } else if (fields.putIfAbsent(name, JsonFactories.string(value)) != null) {
                throw rejected("Field '" + name + "' is given more than once.");
            }
        }
        listed.forEach((name, values) -> fields.put(name, values.build()));
        return fields;
    }

    public boolean has(String name) {
        return fields.containsKey(name);
    }

    public String string(String name) throws RequestRejected {
        return JsonBody.string(name, fields.get(name));
    }

    public String requiredString(String name) throws RequestRejected {
        String value = string(name);
        if (value == null) {
            throw rejected("Missing field: " + name + ".");
        }
        return value;
    }

    /**
     * A list of strings, or null when absent (or JSON null, which clients generated from an OpenAPI document send for
     * a list not set): a JSON array of strings, or the values of a repeated form or query parameter (the field must
     * be one of the lists given to {@link #read(HttpServletRequest, From, Set, Set)}).
     */
    public List<String> strings(String name) throws RequestRejected {
        JsonValue value = fields.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (!(value instanceof JsonArray array)) {
            throw rejected("Field '" + name + "' must be an array of strings.");
        }
        List<String> strings = new ArrayList<>(array.size());
        for (JsonValue item : array) {
            if (!(item instanceof JsonString s)) {
                throw rejected("Field '" + name + "' must be an array of strings.");
            }
            strings.add(s.getString());
        }
        return strings;
    }

    /**
     * A whole number, or null when absent: a JSON number in a JSON body, ASCII digits (an optional leading
     * {@code -}, so that a negative gets the same answer as in JSON) in a form or query.
     */
    public Long number(String name) throws RequestRejected {
        JsonValue value = fields.get(name);
        if (!fromJson && value instanceof JsonString s) {
            String text = s.getString().strip();
            // Long.parseLong reads any Unicode digit: a fullwidth "５" would be read as 5.
            if (ASCII_WHOLE_NUMBER.matcher(text).matches()) {
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    // too large: reported below
                }
            }
            throw rejected("Field '" + name + "' must be a whole number.");
        }
        return JsonBody.wholeNumber(name, value);
    }

    public Duration seconds(String name) throws RequestRejected {
        Long n = number(name);
        return n == null ? null : Duration.ofSeconds(n);
    }

    public boolean flag(String name, boolean otherwise) throws RequestRejected {
        JsonValue value = fields.get(name);
        if (!fromJson && value instanceof JsonString s) {
            return switch (s.getString().strip().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw rejected("Field '" + name + "' must be true or false.");
            };
        }
        Boolean b = JsonBody.bool(name, value);
        return b == null ? otherwise : b;
    }

    private static RequestRejected rejected(String msg) {
        return new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, msg);
    }
}
