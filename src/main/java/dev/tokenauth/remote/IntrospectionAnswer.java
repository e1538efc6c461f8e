package dev.tokenauth.remote;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import dev.tokenauth.token.AuthenticatedToken;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

/**
 * Reads the token service's RFC 7662 answer: {@code {"active": true, "scope": "read write", "username": ..., "exp":
 * ..., "jti": "<id>", ...}} is an active token, {@code {"active": false}} is not; anything else is no answer (the
 * service is not the one we think, or broke), which fails closed.
 */
final class IntrospectionAnswer {

    /** Made once: looking the JSON provider up is a service-loader scan, far too slow per request. */
    private static final JsonReaderFactory READERS = JsonProvider.provider().createReaderFactory(java.util.Map.of());

    private IntrospectionAnswer() {
    }

    /** The active token, or empty when inactive. */
    static Optional<ActiveToken> read(byte[] body) throws BadAnswer {
        JsonObject answer;
        try (JsonReader reader = READERS.createReader(new ByteArrayInputStream(body))) {
            answer = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new BadAnswer("not a JSON object");
        }
        JsonValue active = answer.get("active");
        if (active == JsonValue.FALSE) {
            return Optional.empty();
        }
        if (active != JsonValue.TRUE) {
            throw new BadAnswer("no \"active\": true or false");
        }
        String username = text(answer, "username");
        long id;
        try {
            id = Long.parseLong(text(answer, "jti"));
        } catch (NumberFormatException e) {
            throw new BadAnswer("\"jti\" is not a token id");
        }
        Set<String> scopes = new LinkedHashSet<>(Arrays.asList(text(answer, "scope").trim().split(" +")));
        scopes.remove("");
        Instant expiresAt = null;
        if (answer.containsKey("exp")) {
            if (!(answer.get("exp") instanceof JsonNumber exp) || !exp.isIntegral()) {
                throw new BadAnswer("\"exp\" is not a number of seconds");
            }
            expiresAt = Instant.ofEpochSecond(exp.longValue());
        }
        return Optional.of(new ActiveToken(new AuthenticatedToken(id, username, Set.copyOf(scopes)), expiresAt));
    }

    private static String text(JsonObject answer, String field) throws BadAnswer {
        if (!(answer.get(field) instanceof JsonString value) || value.getString().isEmpty()) {
            throw new BadAnswer("no \"" + field + "\"");
        }
        return value.getString();
    }

    /** The answer is not one the token service gives: it names what is wrong, never a value it held. */
    static final class BadAnswer extends Exception {
        private static final long serialVersionUID = 1L;

        BadAnswer(String what) {
            super(what, null, false, false);
        }
    }
}
