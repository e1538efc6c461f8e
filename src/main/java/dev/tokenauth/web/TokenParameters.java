package dev.tokenauth.web;

import java.io.IOException;
import java.time.Duration;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The optional parameters of create_token and rotate_token, from a JSON body (POST with a JSON content type)
 * or from query and form parameters.
 */
record TokenParameters(JsonObject json, HttpServletRequest request) {

    static TokenParameters of(HttpServletRequest request) throws IOException, RequestRejected {
        String type = request.getContentType();
        boolean jsonBody = "POST".equals(request.getMethod()) && type != null
                && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
        return new TokenParameters(jsonBody ? JsonBody.readOptional(request) : null, request);
    }

    /** The JSON body, or an empty object when the parameters came another way. */
    JsonObject body() {
        return json == null ? JsonValue.EMPTY_JSON_OBJECT : json;
    }

    String string(String name) throws RequestRejected {
        return json != null ? JsonBody.optionalString(json, name) : request.getParameter(name);
    }

    Long number(String name) throws RequestRejected {
        if (json != null) {
            return JsonBody.optionalLong(json, name);
        }
        String value = request.getParameter(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, "Field '" + name + "' must be a whole number.");
        }
    }

    Duration seconds(String name) throws RequestRejected {
        Long n = number(name);
        return n == null ? null : Duration.ofSeconds(n);
    }
}
