package dev.tokenauth.web;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import dev.tokenauth.token.IssuedToken;
import dev.tokenauth.token.TokenInfo;
import dev.tokenauth.token.TokenNotices;
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

    /**
     * An active token as its owner (or an admin) sees it at {@code now}: with the days until it expires, the notices
     * its owner should read ({@link TokenNotices}) and the addresses it was used from.
     */
    public static JsonObjectBuilder describe(TokenInfo t, Instant now) {
        Long days = TokenNotices.expiresInDays(t, now);
        JsonArrayBuilder usedFrom = JsonFactories.array();
        t.usedFrom().forEach(u -> usedFrom.add(JsonFactories.object()
                .add("address", JsonFactories.string(u.address()))
                .add("at", time(u.at()))));
        return common(t)
                .add("expires_in_days", days == null ? JsonValue.NULL : JsonFactories.number(days))
                .add("last_used_at", time(t.lastUsedAt()))
                .add("used_from", usedFrom)
                .add("rotated", t.rotatedToId() != null)
                .add("rotated_from", t.rotatedFromId() == null ? JsonValue.NULL : JsonFactories.number(t.rotatedFromId()))
                .add("scopes", strings(t.scopes()))
                .add("notices", strings(TokenNotices.of(t, now)));
    }

    /** A revoked token, for its owner: when, and by whom and why when it was not the owner. */
    public static JsonObjectBuilder revoked(TokenInfo t) {
        return common(t)
                .add("revoked_at", time(t.revokedAt()))
                .add("revoked_by", t.revokedBy() == null ? JsonValue.NULL : JsonFactories.string(t.revokedBy()))
                .add("reason", t.revokeReason() == null ? JsonValue.NULL : JsonFactories.string(t.revokeReason()));
    }

    private static JsonObjectBuilder common(TokenInfo t) {
        return JsonFactories.object()
                .add("id", t.id())
                .add("display_prefix", t.displayPrefix())
                .add("label", t.label() == null ? JsonValue.NULL : JsonFactories.string(t.label()))
                .add("created_at", time(t.createdAt()))
                .add("created_by", t.createdBySession() ? "session" : "token:" + t.createdByTokenId())
                .add("expires_at", time(t.expiresAt()));
    }

    /** Scopes in alphabetical order; a token of an earlier version reaches here with its scopes filled in. */
    private static JsonArrayBuilder strings(Set<String> scopes) {
        return strings(scopes == null ? List.<String>of() : List.copyOf(new TreeSet<>(scopes)));
    }

    private static JsonArrayBuilder strings(List<String> texts) {
        JsonArrayBuilder array = JsonFactories.array();
        texts.forEach(array::add);
        return array;
    }

    public static JsonValue time(Instant instant) {
        return instant == null ? JsonValue.NULL : JsonFactories.string(instant.toString());
    }
}
