package dev.tokenauth.site;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.tokenauth.token.TokenInfo;
import dev.tokenauth.token.TokenQuery;
import dev.tokenauth.user.Usernames;
import dev.tokenauth.web.JsonFactories;
import dev.tokenauth.web.JsonResponses;
import dev.tokenauth.web.JsonServlet;
import dev.tokenauth.web.RequestFields;
import dev.tokenauth.web.RequestRejected;
import dev.tokenauth.web.TokenJson;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/admin/tokens} (admins only): the credentials inventory, every user's active tokens in id order, a
 * page at a time ({@code limit}, and {@code cursor}: the {@code next_cursor} of the page before), filtered by
 * {@code owner}, {@code expiring_within_days}, {@code unused_for_days}, {@code never_used} and {@code scope}. A token's
 * secret never appears; its display prefix does. Paging by id keeps each page stable while tokens are created.
 */
public class TokenInventoryServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    private static final long MAX_DAYS = 36_500;
    private static final Set<String> FIELDS = Set.of("limit", "cursor", "owner", "expiring_within_days",
            "unused_for_days", "never_used", "scope");

    public TokenInventoryServlet() {
        super("GET");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        admin(request);
        RequestFields fields = RequestFields.read(request, RequestFields.From.QUERY, FIELDS);
        long limit = bounded(fields, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        long cursor = bounded(fields, "cursor", 0, Long.MAX_VALUE, 0);
        Long expiring = days(fields, "expiring_within_days");
        Long unused = days(fields, "unused_for_days");
        String owner = fields.string("owner");
        String scope = fields.string("scope");
        Instant now = services().tokens().now();
        TokenQuery query = new TokenQuery(now,
                owner == null || owner.isBlank() ? null : Usernames.canonical(owner),
                expiring == null ? null : now.plus(Duration.ofDays(expiring)),
                unused == null ? null : now.minus(Duration.ofDays(unused)),
                fields.flag("never_used", false),
                scope == null || scope.isBlank() ? null : scope.strip(),
                cursor, (int) limit + 1);
        List<TokenInfo> page = services().tokens().inventory(query);
        JsonArrayBuilder tokens = JsonFactories.array();
        page.stream().limit(limit).forEach(t -> tokens.add(TokenJson.describe(t, now).add("owner", t.owner())));
        JsonResponses.success(response, JsonFactories.object()
                .add("tokens", tokens)
                .add("next_cursor", page.size() > limit
                        ? JsonFactories.string(Long.toString(page.get((int) limit - 1).id())) : JsonValue.NULL));
    }

    private static Long days(RequestFields fields, String name) throws RequestRejected {
        return fields.has(name) ? bounded(fields, name, 0, MAX_DAYS, 0) : null;
    }

    private static long bounded(RequestFields fields, String name, long least, long most, long otherwise)
            throws RequestRejected {
        Long n;
        try {
            n = fields.number(name);
        } catch (RequestRejected e) {
            n = least - 1;
        }
        if (n == null) {
            return otherwise;
        }
        if (n < least || n > most) {
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, name + " must be a whole number from "
                    + least + (most == Long.MAX_VALUE ? " on." : " to " + most + "."));
        }
        return n;
    }
}
