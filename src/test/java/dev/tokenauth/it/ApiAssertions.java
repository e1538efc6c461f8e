package dev.tokenauth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** Assertions on the HTTP contract: status, headers and exact JSON. */
final class ApiAssertions {

    static final String JSON_TYPE = "application/json;charset=UTF-8";

    private ApiAssertions() {
    }

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /** The reply has {@code status}, the JSON content type and exactly the JSON {@code expected}. */
    static void assertJson(Api.Reply reply, int status, String expected) {
        assertEquals(status, reply.status(), () -> "status of a reply with body " + reply.body());
        assertEquals(JSON_TYPE, reply.header("Content-Type").orElse(null), "Content-Type");
        assertEquals(json(expected), reply.json(), "body");
    }

    static void assertFailure(Api.Reply reply, int status, String msg) {
        assertJson(reply, status, Json.createObjectBuilder().add("msg", msg).add("success", false).build().toString());
    }

    /** A 401 with the challenge, the body {@code {"msg": msg, "success": false}} and no caching. */
    static void assertUnauthorized(Api.Reply reply, String msg) {
        assertFailure(reply, 401, msg);
        assertEquals("Token realm=\"api\"", reply.header("WWW-Authenticate").orElse(null), "WWW-Authenticate");
        assertEquals("no-store", reply.header("Cache-Control").orElse(null), "Cache-Control");
    }

    static void assertInvalidToken(Api.Reply reply) {
        assertUnauthorized(reply, "Invalid token.");
    }

    static void assertNotLoggedIn(Api.Reply reply) {
        assertUnauthorized(reply, "Not logged in.");
    }
}
