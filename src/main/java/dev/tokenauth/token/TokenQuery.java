package dev.tokenauth.token;

import java.time.Instant;

/**
 * A page of the credentials inventory: the active tokens of every owner (or of one), in id order from just after
 * {@code afterId}, that pass every filter given. Each filter's bound is inclusive.
 *
 * @param owner only this owner's tokens, or null for every owner's
 * @param expiringBy only tokens that expire at or before this, or null
 * @param unusedSince only tokens not used since this (last used at or before it, or never used and created at or
 *        before it), or null
 * @param neverUsed only tokens never used
 * @param scope only tokens with this scope (a token of a version before scopes has every scope), or null
 * @param afterId the last id of the previous page, 0 for the first
 * @param limit how many at most
 */
public record TokenQuery(Instant now, String owner, Instant expiringBy, Instant unusedSince, boolean neverUsed,
        String scope, long afterId, int limit) {
}
