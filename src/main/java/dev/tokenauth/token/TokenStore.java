package dev.tokenauth.token;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.tokenauth.audit.AuditEvent;

/**
 * Persistence of tokens, by digest only. Every change is stored together with its audit event, in one
 * transaction. Every method throws {@link dev.tokenauth.StoreUnavailableException} when the store cannot
 * answer.
 */
public interface TokenStore {

    /** What a creation stores: the token, and its audit event (stored with the token's id and prefix filled in). */
    record Creation(NewToken token, AuditEvent event) {
    }

    /**
     * Creates a token for {@code owner} in one transaction, under the owner's lock: reads the creating token
     * {@code parentId} (null for none), lets {@code make} check it and build what to store (a
     * {@link TokenRuleViolation} it throws ends the creation, nothing stored), and stores it unless the owner
     * already has {@code limit} active tokens (not counting rotated tokens in their grace period). Concurrent
     * creations for one owner are serialised, so the limit holds, across servers too; those that wait for one
     * another may be made together, one after the other in one transaction, each with its own outcome, so
     * {@code make} may run on another request's thread and must not depend on the calling thread's state. An
     * exception of {@code make} ends its creation alone; a failure of the store fails every creation of the
     * transaction, none stored. A creation waits for the owner's earlier ones at most the store's timeout.
     *
     * @param make given the creating token as it is in this transaction, or empty when there is none or it is not
     *        the owner's
     * @return the stored token, or empty when the limit was reached
     */
    Optional<TokenInfo> create(String owner, Long parentId, Function<Optional<TokenInfo>, Creation> make, int limit);

    /**
     * The token with this digest, whatever its state, and whether its owner is a disabled user of this application
     * (an owner this application does not store, such as a user of the container's realm, is not).
     */
    Optional<Found> findByDigest(String digest);

    /** What {@link #findByDigest} found. */
    record Found(TokenInfo token, boolean ownerDisabled) {
    }

    /**
     * Revokes {@code owner}'s token named by {@code ref} if it is active at the revocation's time, in one atomic step,
     * keeping who revoked it and why.
     *
     * @return the revoked token, or empty when there was no such active token of that owner
     */
    Optional<TokenInfo> revoke(String owner, TokenRef ref, Revocation revocation, AuditEvent event);

    /**
     * Revokes every token of {@code owner} active at the revocation's time, in one transaction, storing
     * {@code event} for each with its id and display prefix filled in.
     *
     * @return the tokens revoked
     */
    List<TokenInfo> revokeAll(String owner, Revocation revocation, AuditEvent event);

    /**
     * Revokes every token of {@code owner}'s rotation family {@code family} (its first token and every token whose
     * family it is) active at the revocation's time, in one transaction under the owner's lock, storing {@code first}
     * (the detection that caused it) and then
     * {@code event} for each with its id and display prefix filled in.
     *
     * @return the tokens revoked
     */
    List<TokenInfo> revokeFamily(String owner, long family, Revocation revocation, AuditEvent first,
            AuditEvent event);

    /**
     * In one transaction: checks that {@code owner}'s token named by {@code ref} is active and not yet rotated
     * (ALREADY_ROTATED for the owner's rotated token, also once its grace period is over; NOT_FOUND for anything
     * else that is not active), that the owner holds at most {@code limit} active tokens, so that a rotation
     * takes them at most one past the limit until the old token ends; stores {@code successor} (keeping the old
     * token's label when the successor has none) as the next of the old token's family, and makes the old token end
     * at {@code oldEndsAt} (or its own earlier expiry). ALREADY_ROTATED comes with the old token as it is.
     */
    Rotation rotate(String owner, TokenRef ref, NewToken successor, Instant oldEndsAt, int limit, AuditEvent event);

    /** The outcome of {@link #rotate}. */
    record Rotation(Outcome outcome, TokenInfo old, TokenInfo successor) {

        public enum Outcome { ROTATED, NOT_FOUND, ALREADY_ROTATED, LIMIT_REACHED }

        public static Rotation failed(Outcome outcome) {
            return new Rotation(outcome, null, null);
        }

        public static Rotation alreadyRotated(TokenInfo old) {
            return new Rotation(Outcome.ALREADY_ROTATED, old, null);
        }
    }

    /** The owner's tokens active at {@code now}, oldest first. */
    List<TokenInfo> listActive(String owner, Instant now);

    /** The owner's tokens revoked and not yet purged, the latest revocation first, at most {@code limit}. */
    List<TokenInfo> listRevoked(String owner, int limit);

    /** The owner's token with this id, whatever its state; empty for another owner's or an unknown id. */
    Optional<TokenInfo> find(String owner, long id);

    /** The token with this id, whatever its owner and state. */
    Optional<TokenInfo> findById(long id);

    /** A page of the credentials inventory (see {@link TokenQuery}), in id order. */
    List<TokenInfo> inventory(TokenQuery query);

    /**
     * Writes last-use times, never moving one backwards, and the addresses of those uses: each token keeps the
     * {@code keep} most recent distinct addresses, with their latest times (none when {@code keep} is 0).
     */
    void recordLastUse(Map<Long, Instant> lastUse, Map<Long, Map<String, Instant>> addresses, int keep);

    /** The stored addresses of these tokens, newest first; a token without any is left out. */
    Map<Long, List<TokenInfo.UsedFrom>> usedFrom(Collection<Long> tokenIds);

    /**
     * Makes every token that would outlive {@code maxLifetime} from its creation end at its creation plus
     * {@code maxLifetime} (its expiry then noted by {@link #noteExpired} as any other).
     *
     * @return how many tokens were given the earlier end
     */
    int capLifetimes(java.time.Duration maxLifetime);

    /**
     * Marks tokens whose expiry passed by {@code now} and were not yet noted as expired, storing a
     * TOKEN_EXPIRED audit event for each.
     *
     * @return the tokens newly noted as expired
     */
    List<TokenInfo> noteExpired(Instant now);

    /**
     * Marks tokens that will expire after {@code now} but within {@code within} of it, are active and not rotated,
     * and were not yet warned of, storing a TOKEN_EXPIRY_WARNED audit event for each: once per token, whichever
     * server gets to it first.
     *
     * @return the tokens newly warned of
     */
    List<TokenInfo> warnOfExpiry(Instant now, java.time.Duration within);

    /** Deletes tokens revoked or expired before {@code cutoff}, and the addresses they were used from; returns how many. */
    int purgeEndedBefore(Instant cutoff);
}
