package dev.tokenauth.web;

import java.io.IOException;
import java.io.Writer;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletResponse;

/** Writes every JSON response of the application: UTF-8, a {@code success} field, a {@code msg} on failure. */
public final class JsonResponses {

    private JsonResponses() {
    }

    /** 200 with {@code fields} and {@code "success": true}. */
    public static void success(HttpServletResponse response, JsonObjectBuilder fields) throws IOException {
        write(response, HttpServletResponse.SC_OK, successBody(fields));
    }

    /** The body of every success answer: {@code fields} and {@code "success": true}. */
    static JsonObject successBody(JsonObjectBuilder fields) {
        return fields.add("success", true).build();
    }

    /** {@code status} with {@code {"msg": msg, "success": false}}. */
    public static void failure(HttpServletResponse response, int status, String msg) throws IOException {
        write(response, status, failureBody(msg));
    }

    /** The body of every failure answer: {@code {"msg": msg, "success": false}}. */
    static JsonObject failureBody(String msg) {
        return JsonFactories.object().add("msg", msg).add("success", false).build();
    }

    public static void write(HttpServletResponse response, int status, JsonObject body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        try (Writer out = response.getWriter()) {
            JsonFactories.writer(out).writeObject(body);
        }
    }
}
