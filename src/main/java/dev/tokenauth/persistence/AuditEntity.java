package dev.tokenauth.persistence;

import java.time.Instant;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** An audit trail row. */
@Entity
@Table(name = "TA_AUDIT", indexes = {@Index(name = "TA_AUDIT_USER", columnList = "USERNAME")})
@NamedQuery(name = AuditEntity.ADD_OCCURRENCES, query = "UPDATE AuditEntity a SET a.occurrences = a.occurrences"
        + " + :count, a.lastAt = :last WHERE a.id = :id")
public class AuditEntity {

    static final String ADD_OCCURRENCES = "AuditEntity.addOccurrences";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    // Times are epoch milliseconds (InstantConverter); the columns are nullable so that they could be added to the
    // tables of earlier versions, which kept zone-less TIMESTAMPs (EpochMillisecondTimes moved those).
    @Column(name = "OCCURRED_AT_MS")
    private Instant at;

    @Enumerated(EnumType.STRING)
    @Column(name = "EVENT", nullable = false, length = 32)
    private AuditType type;

    @Column(name = "USERNAME", length = 255)
    private String user;

    @Column(name = "ACTING_USER", length = 255)
    private String actingUser;

    @Column(name = "TOKEN_ID")
    private Long tokenId;

    @Column(name = "TOKEN_PREFIX", length = 16)
    private String tokenPrefix;

    @Column(name = "CLIENT_ADDRESS", length = 64)
    private String clientAddress;

    @Column(name = "DETAIL", length = 255)
    private String detail;

    // Both null for a single event; set for an entry that stands for several (refusals, counted per minute).
    @Column(name = "OCCURRENCES")
    private Long occurrences;

    @Column(name = "LAST_AT_MS")
    private Instant lastAt;

    protected AuditEntity() {
    }

    AuditEntity(AuditEvent event) {
        this.at = event.at();
        this.type = event.type();
        this.user = event.user();
        this.actingUser = event.actingUser();
        this.tokenId = event.tokenId();
        this.tokenPrefix = event.tokenPrefix();
        this.clientAddress = truncate(event.clientAddress(), 64);
        this.detail = truncate(event.detail(), 255);
        if (event.occurrences() != null) {
            this.occurrences = event.occurrences().count();
            this.lastAt = event.occurrences().last();
        }
    }

    Long id() {
        return id;
    }

    AuditEvent toEvent() {
        return new AuditEvent(id, at, type, user, actingUser, tokenId, tokenPrefix, clientAddress, detail, null,
                occurrences == null ? null : new AuditEvent.Occurrences(occurrences, lastAt == null ? at : lastAt));
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
