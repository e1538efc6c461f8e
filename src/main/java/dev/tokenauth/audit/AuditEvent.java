package dev.tokenauth.audit;

import java.time.Instant;
import java.util.Objects;

import dev.tokenauth.EventKind;
import dev.tokenauth.log.LogText;

/**
 * One entry of the audit trail. Names a token by id and display prefix, never by its secret.
 *
 * @param user the user whose token (or account) the event is about; null when unknown (a refused made-up token)
 * @param actingUser who acted: the user, or an admin acting for them; null when unknown
 * @param tokenId the token concerned, if any
 * @param tokenPrefix its display prefix, if any
 * @param clientAddress the client's address as the container saw it, if known
 * @param detail a short free text (a refusal reason, a rotation's successor, ...)
 * @param kind what the event counts as, for the trail's observers (a refused token's reason, what a lockout locked);
 *        null for other events. Not stored: the detail says it in words, and an event read back has none.
 * @param occurrences for an entry that stands for several alike events (the refusals of one address, for one
 *        reason and token, within one minute), how many and the last one's time; null for a single event
 */
public record AuditEvent(long id, Instant at, AuditType type, String user, String actingUser, Long tokenId,
        String tokenPrefix, String clientAddress, String detail, EventKind kind, Occurrences occurrences) {

    /** How many alike events one entry stands for, from its {@link AuditEvent#at} to {@code last}. */
    public record Occurrences(long count, Instant last) {
        public Occurrences {
            Objects.requireNonNull(last, "last");
            if (count < 1) {
                throw new IllegalArgumentException("count must be at least 1");
            }
        }
    }

    public AuditEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(type, "type");
    }

    /** A single event of no particular {@linkplain #kind kind}. */
    public AuditEvent(long id, Instant at, AuditType type, String user, String actingUser, Long tokenId,
            String tokenPrefix, String clientAddress, String detail) {
        this(id, at, type, user, actingUser, tokenId, tokenPrefix, clientAddress, detail, null, null);
    }

    /** A new event, not yet stored (id 0). */
    public static AuditEvent of(Instant at, AuditType type, String user, String actingUser, String clientAddress,
            String detail) {
        return new AuditEvent(0, at, type, user, actingUser, null, null, clientAddress, detail);
    }

    public AuditEvent withToken(Long tokenId, String tokenPrefix) {
        return new AuditEvent(id, at, type, user, actingUser, tokenId, tokenPrefix, clientAddress, detail, kind,
                occurrences);
    }

    public AuditEvent withDetail(String newDetail) {
        return new AuditEvent(id, at, type, user, actingUser, tokenId, tokenPrefix, clientAddress, newDetail, kind,
                occurrences);
    }

    public AuditEvent withKind(EventKind newKind) {
        return new AuditEvent(id, at, type, user, actingUser, tokenId, tokenPrefix, clientAddress, detail, newKind,
                occurrences);
    }

    public AuditEvent withOccurrences(Occurrences newOccurrences) {
        return new AuditEvent(id, at, type, user, actingUser, tokenId, tokenPrefix, clientAddress, detail, kind,
                newOccurrences);
    }

    /** One line for the server log: the client's data in it is {@linkplain LogText#escape escaped}. */
    public String describe() {
        StringBuilder sb = new StringBuilder("AUDIT ").append(type);
        if (user != null) {
            sb.append(" user=").append(LogText.escape(user));
        }
        if (actingUser != null && !actingUser.equals(user)) {
            sb.append(" acting=").append(LogText.escape(actingUser));
        }
        if (tokenId != null) {
            sb.append(" token=").append(tokenId);
            if (tokenPrefix != null) {
                sb.append(" (").append(LogText.escape(tokenPrefix)).append(')');
            }
        }
        if (clientAddress != null) {
            sb.append(" from=").append(LogText.escape(clientAddress));
        }
        if (detail != null) {
            sb.append(" ").append(LogText.escape(detail));
        }
        return sb.toString();
    }
}
