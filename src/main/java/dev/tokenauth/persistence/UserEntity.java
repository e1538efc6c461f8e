package dev.tokenauth.persistence;

import java.time.Instant;

import dev.tokenauth.user.User;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/** A user of the application's own login. */
@Entity
@Table(name = "TA_USER")
@NamedQuery(name = UserEntity.LIST_ALL, query = "SELECT u FROM UserEntity u ORDER BY u.username")
@NamedQuery(name = UserEntity.DISABLED, query = "SELECT u.disabled FROM UserEntity u WHERE u.username = :username")
public class UserEntity {

    static final String LIST_ALL = "User.listAll";
    static final String DISABLED = "User.disabled";

    @Id
    @Column(name = "USERNAME", length = 64)
    private String username;

    @Column(name = "PASSWORD_HASH", nullable = false, length = 255)
    private String passwordHash;

    @Column(name = "IS_ADMIN", nullable = false)
    private boolean admin;

    // Times are epoch milliseconds (InstantConverter); the columns are nullable so that they could be added to the
    // tables of earlier versions, which kept zone-less TIMESTAMPs (EpochMillisecondTimes moved those).
    @Column(name = "CREATED_AT_MS")
    private Instant createdAt;

    /** Nullable, so that the column can be added to a table made before it existed; null means enabled. */
    @Column(name = "DISABLED")
    private Boolean disabled;

    @Column(name = "PASSWORD_CHANGED_AT_MS")
    private Instant passwordChangedAt;

    protected UserEntity() {
    }

    UserEntity(User user, Instant createdAt) {
        this.username = user.username();
        this.passwordHash = user.passwordHash();
        this.admin = user.admin();
        this.createdAt = createdAt;
    }

    User toUser() {
        return new User(username, passwordHash, admin, Boolean.TRUE.equals(disabled), createdAt, passwordChangedAt);
    }

    void setDisabled(boolean disabled) {
        this.disabled = disabled;
    }

    /** The same password at another cost: sessions logged in before stay, so the change time is kept. */
    void rehashPassword(String passwordHash) {
        this.passwordHash = passwordHash;
    }

    void setPasswordHash(String passwordHash, Instant changedAt) {
        this.passwordHash = passwordHash;
        this.passwordChangedAt = changedAt;
    }
}
