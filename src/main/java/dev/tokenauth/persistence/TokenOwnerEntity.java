package dev.tokenauth.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.Table;

/**
 * One row per token owner, locked by every transaction that adds a token for that owner (by the counting
 * {@link #ADD_ONE_WITHIN} update of a creation, else SELECT ... FOR UPDATE). It serialises concurrent creations and rotations of one owner in the database itself, so the
 * per-user limit holds across threads and across application nodes.
 * <p>
 * The row also keeps an upper bound of the owner's active tokens (rotated ones in their grace period included, as in
 * the count), changed only under its lock: a creation or rotation adds one, a revocation takes one off, and a token
 * that expires, or whose grace period ends, keeps counting until the next count. While the bound is below the limit,
 * a creation needs no count of the owner's tokens; at the limit, it counts, and the bound becomes exact. Null (an owner of an earlier version) is not known.
 */
@Entity
@Table(name = "TA_TOKEN_OWNER")
// SQL, not JPQL: on Derby, EclipseLink ran the JPQL form (its "+ 1") as a plain statement with the values written
// into its text, not as a prepared one with bound parameters (the profile: Derby's Statement.executeUpdate, no
// statement cache of ours), so each owner's text is a statement Derby compiles anew.
@NamedNativeQuery(name = TokenOwnerEntity.ADD_ONE_WITHIN, query = "UPDATE TA_TOKEN_OWNER"
        + " SET ACTIVE_TOKENS = ACTIVE_TOKENS + 1 WHERE OWNER = ? AND ACTIVE_TOKENS <= ?")
public class TokenOwnerEntity {

    /**
     * Locks the owner's row and adds one to its bound, if the bound is known and at most the second parameter (the
     * owner is the first): the lock, the limit's check and the count of a new token in one statement. When it
     * changes no row, it may have locked none either (PostgreSQL locks only the rows it changes): the caller then
     * locks the row with SELECT ... FOR UPDATE.
     */
    static final String ADD_ONE_WITHIN = "TokenOwner.addOneWithin";

    @Id
    @Column(name = "OWNER", length = 255)
    private String owner;

    @Column(name = "ACTIVE_TOKENS")
    private Integer activeTokens;

    protected TokenOwnerEntity() {
    }

    /**
     * A new row, its bound not known: an owner may have tokens without a row (made before rows existed, version 2).
     */
    TokenOwnerEntity(String owner) {
        this.owner = owner;
    }

    String owner() {
        return owner;
    }

    /** Whether the owner is known, without a count, to hold at most {@code most} active tokens. */
    boolean atMost(int most) {
        return activeTokens != null && activeTokens <= most;
    }

    /** The exact number, just counted. */
    void counted(long active) {
        activeTokens = (int) Math.min(Integer.MAX_VALUE, active);
    }

    void added(int tokens) {
        if (activeTokens != null) {
            activeTokens += tokens;
        }
    }

    /** Tokens that were active ended (revoked). */
    void ended(int tokens) {
        if (activeTokens != null) {
            activeTokens = Math.max(0, activeTokens - tokens);
        }
    }
}
