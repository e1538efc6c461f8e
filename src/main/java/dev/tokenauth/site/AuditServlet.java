package dev.tokenauth.site;

import dev.tokenauth.user.Usernames;
import dev.tokenauth.web.JsonFactories;
import dev.tokenauth.web.JsonResponses;
import dev.tokenauth.web.JsonServlet;
import dev.tokenauth.web.RequestFields;
import dev.tokenauth.web.RequestRejected;

import java.util.Set;
import java.io.IOException;
import java.util.List;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditQuery;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/audit?user=&offset=&limit=} (admins only): the audit trail, newest first, a page at a time.
 */
public class AuditServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;
    static final int DEFAULT_LIMIT = 50;
    private static final Set<String> FIELDS = Set.of("user", "limit", "offset");

    public AuditServlet() {
        super("GET");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        admin(request);
        RequestFields fields = RequestFields.read(request, RequestFields.From.QUERY, FIELDS);
        int offset = intParam(fields, "offset", 0);
        int limit = intParam(fields, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > AuditQuery.MAX_LIMIT) {
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST,
                    "limit must be between 1 and " + AuditQuery.MAX_LIMIT + ".");
        }
        String user = Usernames.canonical(fields.string("user"));
        List<AuditEvent> page = services().audit().query(new AuditQuery(
                user == null || user.isBlank() ? null : user, offset, limit));
        JsonArrayBuilder events = JsonFactories.array();
        page.stream().limit(limit).forEach(e -> events.add(describe(e)));
        JsonResponses.success(response, JsonFactories.object()
                .add("events", events)
                .add("next_offset", page.size() > limit ? JsonFactories.number(offset + limit) : JsonValue.NULL));
    }

    private static int intParam(RequestFields fields, String name, int otherwise) throws RequestRejected {
        Long n;
        try {
            n = fields.number(name);
        } catch (RequestRejected e) {
            n = -1L;
        }
        if (n == null) {
            return otherwise;
        }
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, name + " must be a whole number >= 0.");
        }
        return n.intValue();
    }

    private static JsonObjectBuilder describe(AuditEvent e) {
        return JsonFactories.object()
                .add("id", e.id())
                .add("at", e.at().toString())
                .add("event", e.type().name())
                .add("user", nullable(e.user()))
                .add("acting_user", nullable(e.actingUser()))
                .add("token_id", e.tokenId() == null ? JsonValue.NULL : JsonFactories.number(e.tokenId()))
                .add("token_prefix", nullable(e.tokenPrefix()))
                .add("client_address", nullable(e.clientAddress()))
                .add("detail", nullable(e.detail()))
                .add("count", e.occurrences() == null ? 1 : e.occurrences().count())
                .add("last_at", (e.occurrences() == null ? e.at() : e.occurrences().last()).toString());
    }

    private static JsonValue nullable(String s) {
        return s == null ? JsonValue.NULL : JsonFactories.string(s);
    }
}
