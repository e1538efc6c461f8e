package dev.tokenauth.persistence;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A client address that a token authenticated from, and when it last did: each token keeps its few most recent
 * distinct ones, as GitLab shows them. An address is personal data: the rows go with the token when it is purged.
 * No foreign key, as everywhere in this schema: the purge deletes both.
 */
@Entity
@Table(name = "TA_TOKEN_ADDRESS")
@IdClass(TokenAddressEntity.Key.class)
@NamedQuery(name = TokenAddressEntity.OF_TOKENS,
        query = "SELECT a FROM TokenAddressEntity a WHERE a.tokenId IN :ids ORDER BY a.tokenId, a.lastAt DESC, a.usedFrom")
@NamedQuery(name = TokenAddressEntity.OF_TOKEN,
        query = "SELECT a FROM TokenAddressEntity a WHERE a.tokenId = :id ORDER BY a.lastAt DESC, a.usedFrom")
@NamedQuery(name = TokenAddressEntity.PURGE_ENDED,
        query = "DELETE FROM TokenAddressEntity a WHERE a.tokenId IN (SELECT t.id FROM TokenEntity t"
                + " WHERE t.revokedAt < :cutoff OR (t.expiresAt < :cutoff AND t.expiryNotedAt IS NOT NULL))")
public class TokenAddressEntity {

    static final String OF_TOKENS = "TokenAddress.ofTokens";
    static final String OF_TOKEN = "TokenAddress.ofToken";
    static final String PURGE_ENDED = "TokenAddress.purgeEnded";

    /** The primary key: one row per token and address. */
    public static final class Key implements Serializable {
        private static final long serialVersionUID = 1L;
        private Long tokenId;
        private String usedFrom;

        public Key() {
        }

        Key(long tokenId, String usedFrom) {
            this.tokenId = tokenId;
            this.usedFrom = usedFrom;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(tokenId, k.tokenId) && Objects.equals(usedFrom, k.usedFrom);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tokenId, usedFrom);
        }
    }

    @Id
    @Column(name = "TOKEN_ID", nullable = false)
    private Long tokenId;

    // Named so that EclipseLink, which orders key columns by attribute name, keys the table (TOKEN_ID, ADDRESS) as
    // the migration does: the token's rows are one range of the key.
    @Id
    @Column(name = "ADDRESS", nullable = false, length = 64)
    private String usedFrom;

    @Column(name = "LAST_AT_MS", nullable = false)
    private Instant lastAt;

    protected TokenAddressEntity() {
    }

    TokenAddressEntity(long tokenId, String address, Instant lastAt) {
        this.tokenId = tokenId;
        this.usedFrom = address;
        this.lastAt = lastAt;
    }

    long tokenId() {
        return tokenId;
    }

    String address() {
        return usedFrom;
    }

    Instant lastAt() {
        return lastAt;
    }

    /** Moves the time forward to {@code at}, never back. */
    void usedAt(Instant at) {
        if (at.isAfter(lastAt)) {
            lastAt = at;
        }
    }
}
