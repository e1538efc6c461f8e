package dev.tokenauth.persistence;

import java.time.Instant;

import dev.tokenauth.token.NewToken;
import dev.tokenauth.token.Scopes;
import dev.tokenauth.token.TokenInfo;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A token row. It holds the SHA-256 digest of the token, never the token: a copy of this table opens nothing.
 * The owner is a name, not a key into our user table, because the owner may be a user of the container's
 * own login (a realm) that this application never stores. The owner index is not named TA_TOKEN_OWNER: on
 * PostgreSQL indexes share one namespace with tables, and that is the name of {@link TokenOwnerEntity}'s table.
 */
@Entity
@Table(name = "TA_TOKEN", indexes = {
        @Index(name = "TA_TOKEN_DIGEST", columnList = "DIGEST", unique = true),
        @Index(name = "TA_TOKEN_OWNER_IDX", columnList = "OWNER"),
        @Index(name = "TA_TOKEN_FAMILY", columnList = "FAMILY_ID")})
// The token alone: JpaTokenStore.findByDigest reads its owner's disabled flag after it, in the same transaction and
// only when a token was found, so that a disabled user's token stops working even if it was created in the moment
// the user was disabled, and an unknown digest costs one index probe.
@NamedQuery(name = TokenEntity.FIND_BY_DIGEST,
        query = "SELECT t FROM TokenEntity t WHERE t.digest = :digest")
@NamedQuery(name = TokenEntity.FIND_BY_OWNER_AND_DIGEST,
        query = "SELECT t FROM TokenEntity t WHERE t.digest = :digest AND t.owner = :owner")
@NamedQuery(name = TokenEntity.FIND_BY_OWNER_AND_ID,
        query = "SELECT t FROM TokenEntity t WHERE t.id = :id AND t.owner = :owner")
@NamedQuery(name = TokenEntity.LIST_ACTIVE_BY_OWNER,
        query = "SELECT t FROM TokenEntity t WHERE t.owner = :owner AND t.revokedAt IS NULL"
                + " AND (t.expiresAt IS NULL OR t.expiresAt > :now) ORDER BY t.id")
// Unordered, because Derby refuses FOR UPDATE with ORDER BY.
@NamedQuery(name = TokenEntity.LOCK_ACTIVE_BY_OWNER,
        query = "SELECT t FROM TokenEntity t WHERE t.owner = :owner AND t.revokedAt IS NULL"
                + " AND (t.expiresAt IS NULL OR t.expiresAt > :now)")
@NamedQuery(name = TokenEntity.LOCK_ACTIVE_IN_FAMILY,
        query = "SELECT t FROM TokenEntity t WHERE t.owner = :owner AND (t.id = :family OR t.familyId = :family)"
                + " AND t.revokedAt IS NULL AND (t.expiresAt IS NULL OR t.expiresAt > :now)")
@NamedQuery(name = TokenEntity.LIST_REVOKED_BY_OWNER,
        query = "SELECT t FROM TokenEntity t WHERE t.owner = :owner AND t.revokedAt IS NOT NULL"
                + " ORDER BY t.revokedAt DESC, t.id DESC")
@NamedQuery(name = TokenEntity.FIND_BY_ID,
        query = "SELECT t FROM TokenEntity t WHERE t.id = :id")
@NamedQuery(name = TokenEntity.COUNT_ACTIVE_BY_OWNER,
        query = "SELECT COUNT(t) FROM TokenEntity t WHERE t.owner = :owner AND t.revokedAt IS NULL"
                + " AND (t.expiresAt IS NULL OR t.expiresAt > :now)")
@NamedQuery(name = TokenEntity.LIST_NEWLY_EXPIRED,
        query = "SELECT t FROM TokenEntity t WHERE t.expiresAt <= :now AND t.revokedAt IS NULL"
                + " AND t.expiryNotedAt IS NULL ORDER BY t.id")
@NamedQuery(name = TokenEntity.LIST_EXPIRING_UNWARNED,
        query = "SELECT t FROM TokenEntity t WHERE t.expiresAt > :now AND t.expiresAt <= :until"
                + " AND t.revokedAt IS NULL AND t.rotatedToId IS NULL AND t.expiryWarnedAt IS NULL ORDER BY t.id")
@NamedQuery(name = TokenEntity.WARN_EXPIRY,
        query = "UPDATE TokenEntity t SET t.expiryWarnedAt = :now WHERE t.id = :id AND t.expiryWarnedAt IS NULL")
// Conditional updates: with several servers on one database, the first to note an expiry is the only one (the
// others find the row noted once its lock is theirs), and a last use is never replaced by an older one.
@NamedQuery(name = TokenEntity.NOTE_EXPIRY,
        query = "UPDATE TokenEntity t SET t.expiryNotedAt = :now WHERE t.id = :id AND t.expiryNotedAt IS NULL")
@NamedQuery(name = TokenEntity.RECORD_LAST_USE,
        query = "UPDATE TokenEntity t SET t.lastUsedAt = :at WHERE t.id = :id"
                + " AND (t.lastUsedAt IS NULL OR t.lastUsedAt < :at)")
// Only tokens whose expiry was noted: the rows a purge deletes and those an expiry check updates are never the
// same, so the two never wait on each other's locks (a purge once deadlocked with another server's expiry check).
@NamedQuery(name = TokenEntity.PURGE_ENDED,
        query = "DELETE FROM TokenEntity t WHERE t.revokedAt < :cutoff"
                + " OR (t.expiresAt < :cutoff AND t.expiryNotedAt IS NOT NULL)")
public class TokenEntity {

    static final String FIND_BY_DIGEST = "Token.findByDigest";
    static final String FIND_BY_OWNER_AND_DIGEST = "Token.findByOwnerAndDigest";
    static final String FIND_BY_OWNER_AND_ID = "Token.findByOwnerAndId";
    static final String LIST_ACTIVE_BY_OWNER = "Token.listActiveByOwner";
    static final String LOCK_ACTIVE_BY_OWNER = "Token.lockActiveByOwner";
    static final String COUNT_ACTIVE_BY_OWNER = "Token.countActiveByOwner";
    static final String LOCK_ACTIVE_IN_FAMILY = "Token.lockActiveInFamily";
    static final String LIST_REVOKED_BY_OWNER = "Token.listRevokedByOwner";
    static final String FIND_BY_ID = "Token.findById";
    static final String LIST_NEWLY_EXPIRED = "Token.listNewlyExpired";
    static final String PURGE_ENDED = "Token.purgeEnded";
    static final String NOTE_EXPIRY = "Token.noteExpiry";
    static final String LIST_EXPIRING_UNWARNED = "Token.listExpiringUnwarned";
    static final String WARN_EXPIRY = "Token.warnExpiry";
    static final String RECORD_LAST_USE = "Token.recordLastUse";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    @Column(name = "DIGEST", nullable = false, length = 64)
    private String digest;

    @Column(name = "DISPLAY_PREFIX", nullable = false, length = 16)
    private String displayPrefix;

    @Column(name = "OWNER", nullable = false, length = 255)
    private String owner;

    @Column(name = "LABEL", length = 100)
    private String label;

    // Times are epoch milliseconds (InstantConverter); the columns are nullable so that they could be added to the
    // tables of earlier versions, which kept zone-less TIMESTAMPs (EpochMillisecondTimes moved those).
    @Column(name = "CREATED_AT_MS")
    private Instant createdAt;

    /** The token whose request created this one; null when a login session did. */
    @Column(name = "CREATED_BY_TOKEN")
    private Long createdByTokenId;

    @Column(name = "EXPIRES_AT_MS")
    private Instant expiresAt;

    @Column(name = "LAST_USED_AT_MS")
    private Instant lastUsedAt;

    @Column(name = "REVOKED_AT_MS")
    private Instant revokedAt;

    @Column(name = "ROTATED_TO")
    private Long rotatedToId;

    /**
     * The token's scopes, separated by spaces ({@link Scopes#stored}); null for a token stored by a version before
     * scopes, which has every scope the application knows. Nullable so that it is added to earlier tables.
     */
    @Column(name = "SCOPES", length = 1000)
    private String scopes;

    /** The token this one succeeded in a rotation; null for a token that no rotation made. */
    @Column(name = "ROTATED_FROM")
    private Long rotatedFromId;

    /**
     * The first token of its rotation family; null for that first token itself (and for every token made before
     * version 10 that no rotation made), whose family is its own id. A revocation of the family is one query.
     */
    @Column(name = "FAMILY_ID")
    private Long familyId;

    /** Who revoked it when that was not its owner (an admin); null otherwise. */
    @Column(name = "REVOKED_BY", length = 255)
    private String revokedBy;

    /** Why it was revoked when its owner did not do it (an admin's reason, a detected reuse); null otherwise. */
    @Column(name = "REVOKE_REASON", length = 255)
    private String revokeReason;

    /** When the expiry was written to the audit trail, so that it is written once. */
    @Column(name = "EXPIRY_NOTED_AT_MS")
    private Instant expiryNotedAt;

    /**
     * When its coming expiry was told to the webhook ({@code token.expiring}), so that it is told once; null until
     * then, and for every token while no webhook is sent that event.
     */
    @Column(name = "EXPIRY_WARNED_AT_MS")
    private Instant expiryWarnedAt;

    protected TokenEntity() {
    }

    TokenEntity(NewToken token) {
        this.digest = token.digest();
        this.displayPrefix = token.displayPrefix();
        this.owner = token.owner();
        this.label = token.label();
        this.createdAt = token.createdAt();
        this.createdByTokenId = token.createdByTokenId();
        this.expiresAt = token.expiresAt();
        this.scopes = Scopes.stored(token.scopes());
    }

    Long getId() {
        return id;
    }

    String getLabel() {
        return label;
    }

    void setLabelIfAbsent(String inherited) {
        if (label == null) {
            label = inherited;
        }
    }

    boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    boolean revoked() {
        return revokedAt != null;
    }

    boolean rotated() {
        return rotatedToId != null;
    }

    void revoke(dev.tokenauth.token.Revocation revocation) {
        this.revokedAt = revocation.at();
        this.revokedBy = revocation.by();
        this.revokeReason = revocation.reason();
    }

    /** Makes this token the next of {@code old}'s rotation family. */
    void succeed(TokenEntity old) {
        this.rotatedFromId = old.id;
        this.familyId = old.familyId != null ? old.familyId : old.id;
    }

    /** Records the successor and ends this token at {@code endsAt}, or at its own expiry if that is sooner. */
    void rotateTo(long successorId, Instant endsAt) {
        this.rotatedToId = successorId;
        if (expiresAt == null || endsAt.isBefore(expiresAt)) {
            expiresAt = endsAt;
        }
    }


    TokenInfo toInfo() {
        return new TokenInfo(id, displayPrefix, owner, label, createdAt, createdByTokenId, expiresAt, lastUsedAt,
                revokedAt, rotatedToId, Scopes.parse(scopes), rotatedFromId, familyId, revokedBy, revokeReason,
                java.util.List.of());
    }
}
