package dev.tokenauth.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One row per token owner, locked (SELECT ... FOR UPDATE) by every transaction that adds a token for that
 * owner. It serialises concurrent creations and rotations of one owner in the database itself, so the
 * per-user limit holds across threads and across application nodes.
 */
@Entity
@Table(name = "TA_TOKEN_OWNER")
public class TokenOwnerEntity {

    @Id
    @Column(name = "OWNER", length = 255)
    private String owner;

    protected TokenOwnerEntity() {
    }

    TokenOwnerEntity(String owner) {
        this.owner = owner;
    }
}
