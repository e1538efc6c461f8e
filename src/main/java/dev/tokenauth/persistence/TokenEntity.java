package dev.tokenauth.persistence;

import java.time.Instant;

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
 * own login (a realm) that this application never stores.
 */
@Entity
@Table(name = "TA_TOKEN", indexes = {
        @Index(name = "TA_TOKEN_DIGEST", columnList = "DIGEST", unique = true),
        @Index(name = "TA_TOKEN_OWNER", columnList = "OWNER")})
@NamedQuery(name = TokenEntity.FIND_ACTIVE_BY_DIGEST,
        query = "SELECT t FROM TokenEntity t WHERE t.digest = :digest AND t.revokedAt IS NULL")
@NamedQuery(name = TokenEntity.FIND_ACTIVE_BY_OWNER_AND_DIGEST,
        query = "SELECT t FROM TokenEntity t WHERE t.digest = :digest AND t.owner = :owner AND t.revokedAt IS NULL")
@NamedQuery(name = TokenEntity.LIST_ACTIVE_BY_OWNER,
        query = "SELECT t FROM TokenEntity t WHERE t.owner = :owner AND t.revokedAt IS NULL ORDER BY t.id")
public class TokenEntity {

    static final String FIND_ACTIVE_BY_DIGEST = "Token.findActiveByDigest";
    static final String FIND_ACTIVE_BY_OWNER_AND_DIGEST = "Token.findActiveByOwnerAndDigest";
    static final String LIST_ACTIVE_BY_OWNER = "Token.listActiveByOwner";

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

    @Column(name = "CREATED_AT", nullable = false)
    private Instant createdAt;

    /** The token whose request created this one; null when a login session did. */
    @Column(name = "CREATED_BY_TOKEN")
    private Long createdByTokenId;

    @Column(name = "REVOKED_AT")
    private Instant revokedAt;

    protected TokenEntity() {
    }

    TokenEntity(String digest, String displayPrefix, String owner, Instant createdAt, Long createdByTokenId) {
        this.digest = digest;
        this.displayPrefix = displayPrefix;
        this.owner = owner;
        this.createdAt = createdAt;
        this.createdByTokenId = createdByTokenId;
    }

    Long getId() {
        return id;
    }

    String getOwner() {
        return owner;
    }

    void revoke(Instant at) {
        this.revokedAt = at;
    }

    TokenInfo toInfo() {
        return new TokenInfo(id, displayPrefix, owner, createdAt, createdByTokenId);
    }
}
