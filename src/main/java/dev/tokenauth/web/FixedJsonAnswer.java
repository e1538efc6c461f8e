package dev.tokenauth.web;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A JSON answer that never changes (status and body), its bytes made once by the same writer as every other
 * answer. A flood of refused tokens is what an attacker sends; the profile showed a quarter of a refusal's time in
 * building and writing the same small JSON object again, which this answer costs once per application.
 */
final class FixedJsonAnswer {

    static final String CONTENT_TYPE = "application/json;charset=UTF-8";

    private final int status;
    private final byte[] body;

    private FixedJsonAnswer(int status, byte[] body) {
        this.status = status;
        this.body = body;
    }

    /** {@code status} with {@code {"msg": msg, "success": false}}, as {@link JsonResponses#failure} writes it. */
    static FixedJsonAnswer failure(int status, String msg) {
        return of(status, JsonResponses.failureBody(msg));
    }

    /** 200 with {@code fields} and {@code "success": true}, as {@link JsonResponses#success} writes it. */
    static FixedJsonAnswer success(JsonObjectBuilder fields) {
        return of(HttpServletResponse.SC_OK, JsonResponses.successBody(fields));
    }

    private static FixedJsonAnswer of(int status, JsonObject body) {
        StringWriter text = new StringWriter();
        JsonFactories.writer(text).writeObject(body);
        return new FixedJsonAnswer(status, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the status, the content type and length, and the body; headers set before are kept. */
    void write(HttpServletResponse response) throws IOException {
        response.setStatus(status);
        response.setContentType(CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
