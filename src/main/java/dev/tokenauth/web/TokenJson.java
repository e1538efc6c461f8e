package dev.tokenauth.web;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import dev.tokenauth.token.IssuedToken;
import dev.tokenauth.token.TokenInfo;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

/** How tokens are shown in JSON: by id and display prefix, never a secret or digest (but the one issued now). */
public final class TokenJson {

    private TokenJson() {
    }

    /** A token just issued: the only JSON that ever holds a token's plaintext. */
    public static JsonObjectBuilder issued(IssuedToken issued) {
        return JsonFactories.object()
                .add("token", issued.plaintext())
                .add("id", issued.info().id())
                .add("expires_at", time(issued.info().expiresAt()));
    }

    public static JsonObjectBuilder describe(TokenInfo t) {
        return JsonFactories.object()
                .add("id", t.id())
                .add("display_prefix", t.displayPrefix())
                .add("label", t.label() == null ? JsonValue.NULL : JsonFactories.string(t.label()))
                .add("created_at", time(t.createdAt()))
                .add("created_by", t.createdBySession() ? "session" : "token:" + t.createdByTokenId())
                .add("expires_at", time(t.expiresAt()))
                .add("last_used_at", time(t.lastUsedAt()))
                .add("rotated", t.rotatedToId() != null)
                .add("scopes", strings(t.scopes()));
    }

    /** Scopes in alphabetical order; a token of an earlier version reaches here with its scopes filled in. */
    private static JsonArrayBuilder strings(Set<String> scopes) {
        JsonArrayBuilder array = JsonFactories.array();
        (scopes == null ? Set.<String>of() : new TreeSet<>(scopes)).forEach(array::add);
        return array;
    }

    public static JsonValue time(Instant instant) {
        return instant == null ? JsonValue.NULL : JsonFactories.string(instant.toString());
    }
}
