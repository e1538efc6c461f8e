package dev.tokenauth.web;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The optional parameters of create_token and rotate_token: from the JSON body of a POST (with a JSON content type
 * or none), else from query and form parameters.
 */
record TokenParameters(JsonObject json, HttpServletRequest request) {

    static TokenParameters of(HttpServletRequest request) throws IOException, RequestRejected {
        if (!"POST".equals(request.getMethod())) {
            return new TokenParameters(null, request);
        }
        String type = request.getContentType();
        String mediaType = type == null ? null : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (mediaType == null || mediaType.equals("application/json")) {
            return new TokenParameters(JsonBody.readOptional(request), request);
        }
        if (!mediaType.equals("application/x-www-form-urlencoded")) {
            throw new RequestRejected(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE,
                    "Send the parameters as JSON (Content-Type: application/json) or as a form.");
        }
        // curl -d sends JSON as a form unless told otherwise. Read as a form, its fields would be lost without a
        // word: a grace_seconds of 0 would become the default day, a named token the calling one.
        if (request.getParameterMap().keySet().stream().anyMatch(name -> name.stripLeading().startsWith("{"))) {
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST,
                    "The body is JSON sent as a form: send it with Content-Type: application/json.");
        }
        return new TokenParameters(null, request);
    }

    /**
     * A parameter that holds a secret, such as a token: from the body only. In the URL, access logs, proxies and
     * browser history would keep it, so a secret there is refused rather than used.
     */
    String secret(String name) throws RequestRejected {
        String query = request.getQueryString();
        boolean inUrl = query != null
                && Arrays.stream(query.split("&")).anyMatch(p -> p.equals(name) || p.startsWith(name + "="));
        if (inUrl) {
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST,
                    "Never put a token in a URL: send '" + name + "' in the request body.");
        }
        return string(name);
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
