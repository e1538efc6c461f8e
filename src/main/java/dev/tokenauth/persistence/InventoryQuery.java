package dev.tokenauth.persistence;

import java.util.ArrayList;
import java.util.List;

import dev.tokenauth.token.TokenQuery;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

/**
 * The JPQL of one page of the credentials inventory: only the filters given, keyset-paged by id, so that a page
 * stays the same while tokens are created (they come later in id order) and no row is read twice.
 */
final class InventoryQuery {

    private InventoryQuery() {
    }

    static TypedQuery<TokenEntity> of(EntityManager em, TokenQuery q) {
        List<String> where = new ArrayList<>(List.of("t.id > :after", "t.revokedAt IS NULL",
                "(t.expiresAt IS NULL OR t.expiresAt > :now)"));
        if (q.owner() != null) {
            where.add("t.owner = :owner");
        }
        if (q.expiringBy() != null) {
            where.add("t.expiresAt IS NOT NULL AND t.expiresAt <= :expiringBy");
        }
        if (q.unusedSince() != null) {
            where.add("((t.lastUsedAt IS NOT NULL AND t.lastUsedAt <= :unusedSince)"
                    + " OR (t.lastUsedAt IS NULL AND t.createdAt <= :unusedSince))");
        }
        if (q.neverUsed()) {
            where.add("t.lastUsedAt IS NULL");
        }
        if (q.scope() != null) {
            // Stored as names between single spaces; NULL (a token of a version before scopes) has every scope.
            where.add("(t.scopes IS NULL OR CONCAT(CONCAT(' ', t.scopes), ' ') LIKE :scope ESCAPE '!')");
        }
        TypedQuery<TokenEntity> query = em.createQuery("SELECT t FROM TokenEntity t WHERE "
                + String.join(" AND ", where) + " ORDER BY t.id", TokenEntity.class)
                .setParameter("after", q.afterId())
                .setParameter("now", q.now())
                .setMaxResults(q.limit());
        if (q.owner() != null) {
            query.setParameter("owner", q.owner());
        }
        if (q.expiringBy() != null) {
            query.setParameter("expiringBy", q.expiringBy());
        }
        if (q.unusedSince() != null) {
            query.setParameter("unusedSince", q.unusedSince());
        }
        if (q.scope() != null) {
            query.setParameter("scope", "% " + q.scope().replace("!", "!!").replace("%", "!%").replace("_", "!_") + " %");
        }
        return query;
    }
}
