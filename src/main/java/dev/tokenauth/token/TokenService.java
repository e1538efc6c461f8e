package dev.tokenauth.token;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.atomic.AtomicReference;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.AuditType;
import dev.tokenauth.throttle.Lockout;
import dev.tokenauth.user.Usernames;

/**
 * The rules about tokens, in one place: how they are made, checked, rotated, revoked, listed, expired and
 * purged. Servlets and the filter only translate HTTP to these calls.
 * <p>
 * Plaintext tokens enter here (to be checked) and leave here once (when issued); only digests go further.
 * The audit trail and the log name tokens by id and display prefix.
 */
public final class TokenService implements TokenAuthenticator {

    private final TokenStore store;
    private final TokenPolicy policy;
    private final AuditTrail audit;
    private final LastUseRecorder lastUse;
    private final ValidationCache cache;
    private final TokenChanges changes;
    private final Clock clock;
    private final SecureRandom random;

    /** A service that reads the store for every authentication. */
    public TokenService(TokenStore store, TokenPolicy policy, AuditTrail audit, Clock clock, SecureRandom random) {
        this(store, policy, audit, clock, random, ValidationCache.OFF);
    }

    /**
     * A service that authenticates from {@code cache} while its entries are fresh. Every change to a token made
     * through this service counts from the next request on, cache or not.
     */
    public TokenService(TokenStore store, TokenPolicy policy, AuditTrail audit, Clock clock, SecureRandom random,
            ValidationCache cache) {
        this(store, policy, audit, clock, random, cache, TokenChanges.NONE);
    }

    /**
     * A service with a cache that also announces every change that ends tokens to {@code changes}, for the other
     * servers on the same database.
     */
    public TokenService(TokenStore store, TokenPolicy policy, AuditTrail audit, Clock clock, SecureRandom random,
            ValidationCache cache, TokenChanges changes) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.changes = Objects.requireNonNull(changes, "changes");
        this.store = Objects.requireNonNull(store, "store");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.lastUse = new LastUseRecorder(policy.addressesKept());
    }

    public TokenPolicy policy() {
        return policy;
    }

    /** The time by this service's clock, the one every rule here reads. */
    public Instant now() {
        return clock.instant();
    }

    /** Creates a token for {@code actor.user()} with the scopes its creator may give; see the other issue. */
    public IssuedToken issue(Actor actor, Duration expiresIn, String label) {
        return issue(actor, expiresIn, label, null);
    }

    /**
     * Creates a token for {@code actor.user()}.
     *
     * @param expiresIn the lifetime asked for, or null for the default
     * @param label a short text to tell tokens apart, or null
     * @param scopes the scopes asked for, or null for every scope the creator may give: all for a login session,
     *        the creating token's own for a token
     * @throws TokenRuleViolation INVALID for a lifetime over the maximum, a bad label, an unknown scope or one the
     *         creating token lacks; FORBIDDEN for a creating token without {@value Scopes#WRITE}; LIMIT_REACHED
     */
    public IssuedToken issue(Actor actor, Duration expiresIn, String label, Collection<String> scopes) {
        Instant now = clock.instant();
        String plaintext = TokenFormat.generate(random);
        AtomicReference<AuditEvent> created = new AtomicReference<>();
        // The creating token is read in the creation's own transaction, under the owner's lock: one transaction.
        TokenInfo info = store.create(actor.user(), actor.viaTokenId(), found -> {
            TokenInfo parent = checkedParent(actor, found.map(policy::capped), now);
            requireWrite(parent);
            Instant expiry = TokenPolicy.boundedBy(policy.expiryFor(now, expiresIn), expiresIn, now,
                    parent == null ? null : parent.expiresAt());
            Set<String> given = given(parent, scopes == null ? null : policy.scopes().requested(scopes));
            NewToken token = new NewToken(TokenFormat.digest(plaintext), TokenFormat.displayPrefix(plaintext),
                    actor.user(), TokenPolicy.checkLabel(label), now, actor.viaTokenId(), expiry, given);
            created.set(event(now, AuditType.TOKEN_CREATED, actor,
                    TokenEvents.joined(createdHow(actor), scopesDetail(given))));
            return new TokenStore.Creation(token, created.get());
        }, policy.maxActivePerUser()).orElseThrow(this::limitReached);
        audit.logged(created.get().withToken(info.id(), info.displayPrefix()));
        return new IssuedToken(plaintext, info);
    }

    /** Rotates with the old token's scopes; see the other rotate. */
    public Rotated rotate(Actor actor, TokenRef ref, Duration grace, Duration expiresIn, String label) {
        return rotate(actor, ref, grace, expiresIn, label, null);
    }

    /**
     * Creates the successor of the actor's token named by {@code ref} and ends the old one after the grace
     * period, in one transaction. The successor starts a fresh lifetime (see {@link TokenPolicy#renewedExpiry}), not
     * bounded by the requesting token's: rotation is how a token lives on, creation by a token stays bounded.
     * <p>
     * Reuse detection, GitLab's rule: a token that a rotation already replaced, presented by its secret to rotate
     * again once its grace period is over, shows that someone else holds the chain. Every active token of its
     * rotation family is revoked, and the answer is INVALID_TOKEN.
     *
     * @param grace how long the old token keeps working, or null for the default; zero ends it now
     * @param scopes the successor's scopes, or null for the old token's
     * @throws TokenRuleViolation NOT_FOUND, CONFLICT when already rotated, INVALID_TOKEN when a replaced token is
     *         reused, LIMIT_REACHED, INVALID (also for scopes the requesting token lacks), FORBIDDEN for a requesting
     *         token without {@value Scopes#WRITE}
     */
    public Rotated rotate(Actor actor, TokenRef ref, Duration grace, Duration expiresIn, String label,
            Collection<String> scopes) {
        requireNamesSomething(ref);
        Instant now = clock.instant();
        Instant oldEndsAt = now.plus(policy.graceFor(grace));
        TokenInfo parent = parent(actor, now);
        requireWrite(parent);
        // Read here for its lifetime and scopes, which never change (but for a lower maximum, which capped applies).
        TokenInfo oldToken = policy.capped(oldOf(actor.user(), ref));
        Instant expiry = policy.renewedExpiry(now, expiresIn, oldToken);
        SortedSet<String> requested = scopes == null ? null : policy.scopes().requested(scopes);
        Set<String> given = given(parent, requested != null ? requested
                : policy.scopes().stillKnown(oldToken.scopes()));
        String plaintext = TokenFormat.generate(random);
        NewToken successor = new NewToken(TokenFormat.digest(plaintext), TokenFormat.displayPrefix(plaintext),
                actor.user(), TokenPolicy.checkLabel(label), now, actor.viaTokenId(), expiry, given);
        AuditEvent event = event(now, AuditType.TOKEN_ROTATED, actor, scopesDetail(given));
        TokenStore.Rotation rotation;
        try {
            rotation = store.rotate(actor.user(), ref, successor, oldEndsAt, policy.maxActivePerUser(), event);
        } finally {
            // The old token now ends at oldEndsAt: its cached end is out of date (and if the store failed, it
            // may or may not have changed).
            cache.forget(ref);
        }
        switch (rotation.outcome()) {
            case NOT_FOUND -> throw notFound();
            case ALREADY_ROTATED -> {
                if (ref instanceof TokenRef.ByDigest && !policy.capped(rotation.old()).activeAt(now)) {
                    reuseDetected(rotation.old(), actor.clientAddress());
                    throw new TokenRuleViolation(ViolationKind.INVALID_TOKEN, "Invalid token.");
                }
                throw new TokenRuleViolation(ViolationKind.CONFLICT,
                        "Token was already rotated; rotate its successor instead.");
            }
            case LIMIT_REACHED -> throw limitReached();
            case ROTATED -> { }
        }
        TokenInfo old = rotation.old();
        TokenInfo created = rotation.successor();
        changes.announce(new TokenChange.TokenEnded(old.id()));
        audit.logged(TokenEvents.createdByRotation(event, old, created));
        audit.logged(TokenEvents.rotated(event, old, created));
        return new Rotated(new IssuedToken(plaintext, created), old);
    }

    /** Refuses a token that makes tokens without {@value Scopes#WRITE}, before any other rule. */
    private void requireWrite(TokenInfo parent) {
        if (parent != null && !policy.scopes().ofStored(parent.scopes()).contains(Scopes.WRITE)) {
            throw new TokenRuleViolation(ViolationKind.FORBIDDEN, Scopes.lacking(Scopes.WRITE));
        }
    }

    /**
     * The scopes a new token gets: those asked for, or else every scope its creator may give; a creating token
     * ({@code parent}) may give only scopes it has itself.
     */
    private Set<String> given(TokenInfo parent, Set<String> asked) {
        if (parent == null) {
            return asked != null ? asked : policy.scopes().byDefault();
        }
        Set<String> own = policy.scopes().ofStored(parent.scopes());
        if (asked == null) {
            return policy.scopes().handedOn(own);
        }
        for (String scope : asked) {
            if (!own.contains(scope)) {
                throw new TokenRuleViolation(ViolationKind.INVALID, "A token can give only scopes it has itself;"
                        + " the token that makes this request lacks '" + scope + "'.");
            }
        }
        return asked;
    }

    /** The owner's token named by {@code ref}, whatever its state; NOT_FOUND when there is no such token of theirs. */
    private TokenInfo oldOf(String owner, TokenRef ref) {
        Optional<TokenInfo> old = ref instanceof TokenRef.ById byId ? store.find(owner, byId.id())
                : store.findByDigest(((TokenRef.ByDigest) ref).digest()).map(TokenStore.Found::token)
                        .filter(t -> t.owner().equals(owner));
        return old.orElseThrow(TokenService::notFound);
    }

    /**
     * {@code reused}, a token that a rotation replaced, was presented to rotate again after its grace period: every
     * active token of its family is revoked, with the detection itself audited first, in one transaction.
     */
    private void reuseDetected(TokenInfo reused, String clientAddress) {
        Instant now = clock.instant();
        AuditEvent detected = AuditEvent.of(now, AuditType.TOKEN_REUSE_DETECTED, reused.owner(), null, clientAddress,
                "rotation with a token already replaced by token " + reused.rotatedToId()
                        + "; every active token of its rotation family revoked")
                .withToken(reused.id(), reused.displayPrefix());
        String why = "reuse of the replaced token " + reused.id() + " (" + reused.displayPrefix() + ") detected";
        AuditEvent revocation = AuditEvent.of(now, AuditType.TOKEN_REVOKED, reused.owner(), null, clientAddress, why);
        List<TokenInfo> revoked;
        try {
            revoked = store.revokeFamily(reused.owner(), reused.family(), new Revocation(now, null, why), detected,
                    revocation);
        } finally {
            cache.forgetOwner(reused.owner());
        }
        revoked.forEach(t -> changes.announce(new TokenChange.TokenEnded(t.id())));
        audit.logged(detected);
        revoked.forEach(t -> audit.logged(revocation.withToken(t.id(), t.displayPrefix())));
    }

    /** What the audit trail says of a token's scopes: nothing when it has those a token gets by default. */
    private String scopesDetail(Set<String> scopes) {
        return scopes.equals(policy.scopes().byDefault()) ? null : "scopes: " + Scopes.stored(scopes);
    }

    /**
     * The token that makes this request (null for a login session); refuses a token in its rotation grace period,
     * which may authenticate ordinary calls only.
     */
    private TokenInfo parent(Actor actor, Instant now) {
        // One row by id: a listing of the owner's tokens grew with their number (thousands in the benchmark).
        return actor.viaTokenId() == null ? null : checkedParent(actor,
                store.find(actor.user(), actor.viaTokenId()).map(policy::capped), now);
    }

    /** The actor's creating token, as found; null for an actor without one. */
    private static TokenInfo checkedParent(Actor actor, Optional<TokenInfo> found, Instant now) {
        if (actor.viaTokenId() == null) {
            return null;
        }
        TokenInfo parent = found
                .filter(t -> t.activeAt(now))
                .orElseThrow(() -> new TokenRuleViolation(ViolationKind.FORBIDDEN,
                        "The token that makes this request is no longer active."));
        if (parent.rotatedToId() != null) {
            throw new TokenRuleViolation(ViolationKind.FORBIDDEN,
                    "A token in its rotation grace period cannot create or rotate tokens; use its successor.");
        }
        return parent;
    }

    /** The result of a rotation: the successor (with its plaintext) and the old token's new state. */
    public record Rotated(IssuedToken successor, TokenInfo old) {
    }

    /**
     * Revokes the actor's active token named by {@code ref}. An unknown token, an already revoked or expired
     * one, and another user's all give the same NOT_FOUND, so the answer reveals nothing.
     */
    public TokenInfo revoke(Actor actor, TokenRef ref) {
        requireNamesSomething(ref);
        Instant now = clock.instant();
        AuditEvent event = event(now, AuditType.TOKEN_REVOKED, actor, null);
        return revokeOne(actor.user(), ref, Revocation.byOwner(now), event, () -> cache.forget(ref))
                .orElseThrow(TokenService::notFound);
    }

    /**
     * Revokes {@code owner}'s active token named by {@code ref} with its audit event; the cache forgets it whatever
     * came of the revocation (also when the store failed: the state is then unknown), and a revocation made is
     * announced to the other servers and logged.
     */
    private Optional<TokenInfo> revokeOne(String owner, TokenRef ref, Revocation revocation, AuditEvent event,
            Runnable forget) {
        Optional<TokenInfo> result;
        try {
            result = store.revoke(owner, ref, revocation, event);
        } finally {
            forget.run();
        }
        result.ifPresent(revoked -> {
            changes.announce(new TokenChange.TokenEnded(revoked.id()));
            audit.logged(event.withToken(revoked.id(), revoked.displayPrefix()));
        });
        return result;
    }

    /**
     * Revokes any user's active token with this id, as an admin: the owner sees who revoked it and why, and the
     * audit trail names the admin as the one acting. An unknown id and an ended token are the same NOT_FOUND.
     *
     * @param reason why, required, checked as a label is
     */
    public TokenInfo revokeAsAdmin(String admin, String clientAddress, long id, String reason) {
        String why = TokenPolicy.checkLabel(reason);
        if (why == null) {
            throw new TokenRuleViolation(ViolationKind.INVALID, "reason is required: say why the token is revoked.");
        }
        TokenInfo token = store.findById(id).orElseThrow(TokenService::notFound);
        Actor actor = new Actor(token.owner(), admin, null, clientAddress);
        Instant now = clock.instant();
        AuditEvent event = event(now, AuditType.TOKEN_REVOKED, actor, "by an admin from the credentials inventory; reason: "
                + why);
        return revokeOne(actor.user(), new TokenRef.ById(id), new Revocation(now, actor.actingUser(), why), event,
                () -> cache.forgetToken(id)).orElseThrow(TokenService::notFound);
    }

    /** The reason a token reported as leaked was revoked, as its owner reads it. */
    public static final String REPORTED_AS_LEAKED = "reported as leaked";

    /**
     * Revokes each active token among {@code presented}, reported as leaked by anyone at {@code reporterAddress}, as
     * GitHub's {@code POST /credentials/revoke} does: no authentication, and nothing told back. A malformed entry (bad
     * checksum included) never reaches the store; an unknown, revoked or expired one changes nothing. Each revocation
     * is audited as TOKEN_LEAK_REPORTED with the token's id and the reporting address, never the secret.
     *
     * @return how many tokens were revoked, for the caller's own counting (never for the reporter)
     */
    public int reportLeaked(Collection<String> presented, String reporterAddress) {
        java.util.Set<String> digests = new java.util.LinkedHashSet<>();
        for (String candidate : presented) {
            TokenFormat.digestIfWellFormed(candidate).ifPresent(digests::add);
        }
        int revoked = 0;
        for (String digest : digests) {
            Optional<TokenInfo> token = store.findByDigest(digest).map(TokenStore.Found::token)
                    .filter(t -> t.revokedAt() == null && activeUnderPolicy(t));
            if (token.isEmpty()) {
                continue;
            }
            Instant now = clock.instant();
            TokenRef ref = new TokenRef.ByDigest(digest);
            AuditEvent event = AuditEvent.of(now, AuditType.TOKEN_LEAK_REPORTED, token.get().owner(), null,
                    reporterAddress, "revoked: " + REPORTED_AS_LEAKED);
            if (revokeOne(token.get().owner(), ref, new Revocation(now, null, REPORTED_AS_LEAKED), event,
                    () -> cache.forget(ref)).isPresent()) {
                revoked++;
            }
        }
        return revoked;
    }

    private boolean activeUnderPolicy(TokenInfo token) {
        Instant end = policy.endOf(token);
        return end == null || end.isAfter(clock.instant());
    }

    /**
     * Revokes every active token of {@code actor.user()} at once, e.g. when an admin disables the user.
     *
     * @param reason why, for the audit trail
     * @return the tokens revoked
     */
    public List<TokenInfo> revokeAll(Actor actor, String reason) {
        Instant now = clock.instant();
        AuditEvent event = event(now, AuditType.TOKEN_REVOKED, actor, reason);
        List<TokenInfo> revoked;
        try {
            revoked = store.revokeAll(actor.user(), new Revocation(now,
                    actor.actingUser().equals(actor.user()) ? null : actor.actingUser(), reason), event);
        } finally {
            // Also what a disabling needs: its flag is set before this, so no entry read before it survives.
            cache.forgetOwner(actor.user());
        }
        // Also when nothing was active: the owner may have been disabled, which their cached tokens must show.
        changes.announce(new TokenChange.OwnerChanged(actor.user()));
        revoked.forEach(t -> audit.logged(event.withToken(t.id(), t.displayPrefix())));
        return revoked;
    }

    /** Names a token by its plaintext; a malformed one names nothing (a null digest) and never reaches the store. */
    public static TokenRef refTo(String presented) {
        return new TokenRef.ByDigest(TokenFormat.digestIfWellFormed(presented).orElse(null));
    }

    private static void requireNamesSomething(TokenRef ref) {
        if (ref instanceof TokenRef.ByDigest d && d.digest() == null) {
            throw notFound();
        }
    }

    @Override
    public Optional<AuthenticatedToken> authenticate(String presented, String clientAddress) {
        return authenticate(presented, clientAddress, false);
    }

    /**
     * As {@link #authenticate(String, String)}; for a request that would rotate ({@code rotation}), a token that a
     * rotation replaced and whose grace period is over is a detected reuse: its family's active tokens are revoked.
     */
    @Override
    public Optional<AuthenticatedToken> authenticate(String presented, String clientAddress, boolean rotation) {
        return active(presented, clientAddress, rotation).map(token -> new AuthenticatedToken(token.id(),
                token.owner(), policy.scopes().ofStored(token.scopes())));
    }

    /**
     * What an introspection (RFC 7662) tells of {@code presented}: its id, owner, scopes, creation and end when it is
     * active, empty whatever else it is. It counts as a use from {@code clientAddress} (the introspecting service's),
     * and a refusal is counted as any other (aggregated in the audit trail), but it costs the address nothing
     * of its allowance: that is the gate's, for the introspecting caller's own token.
     */
    public Optional<Introspection> introspect(String presented, String clientAddress) {
        return active(presented, clientAddress, false).map(token -> new Introspection(token.id(), token.owner(),
                policy.scopes().ofStored(token.scopes()), token.createdAt(), policy.endOf(token)));
    }

    /** An active token as introspection shows it; {@code expiresAt} null for a token that never expires. */
    public record Introspection(long id, String owner, Set<String> scopes, Instant issuedAt, Instant expiresAt) {
    }

    /** The token if it is active now, its use recorded; empty (and the refusal counted) otherwise. */
    private Optional<TokenInfo> active(String presented, String clientAddress, boolean rotation) {
        Optional<String> wellFormed = TokenFormat.digestIfWellFormed(presented);
        if (wellFormed.isEmpty()) {
            refused(null, RefusalReason.MALFORMED, clientAddress);
            return Optional.empty();
        }
        Instant now = clock.instant();
        String digest = wellFormed.get();
        ValidationCache.Lookup lookup = cache.lookUp(digest, store::findByDigest);
        Optional<TokenStore.Found> found = lookup.found();
        if (found.isEmpty()) {
            refused(null, RefusalReason.UNKNOWN, clientAddress);
            return Optional.empty();
        }
        TokenInfo token = found.get().token();
        // A lowered maximum lifetime ends older tokens at once, before the expiry task writes their new end.
        Instant end = policy.endOf(token);
        if (token.revokedAt() != null || (end != null && !end.isAfter(now))) {
            refused(token, token.revokedAt() != null ? RefusalReason.REVOKED : RefusalReason.EXPIRED, clientAddress);
            if (rotation && token.rotatedToId() != null) {
                reuseDetected(token, clientAddress);
            }
            return Optional.empty();
        }
        if (found.get().ownerDisabled()) {
            refused(token, RefusalReason.OWNER_DISABLED, clientAddress);
            return Optional.empty();
        }
        lastUse.record(token.id(), now, clientAddress);
        if (!lookup.kept()) {
            cache.vouchFor(digest);
        }
        return Optional.of(token);
    }

    @Override
    public boolean knownGood(String presented) {
        return TokenFormat.digestIfWellFormed(presented).map(cache::knowsGood).orElse(false);
    }

    @Override
    public void refusedUnusableHeader(String clientAddress) {
        refused(null, RefusalReason.UNUSABLE_HEADER, clientAddress);
    }

    @Override
    public void addressThrottled(String clientAddress, String why) {
        audit.recordLater(AuditEvent.of(clock.instant(), AuditType.TOKEN_THROTTLED, null, null, clientAddress, why)
                .withKind(Lockout.TOKEN_ADDRESS));
    }

    /**
     * The owner's active tokens, oldest first, with last-use times not yet written included, and the scopes of
     * tokens of earlier versions filled in.
     */
    public List<TokenInfo> list(String owner) {
        Instant now = clock.instant();
        return shown(store.listActive(Usernames.canonical(owner), now).stream()
                .map(policy::capped)
                .filter(t -> t.activeAt(now))
                .toList());
    }

    /**
     * The owner's revoked tokens not yet purged, the latest first (at most {@code limit}): with who revoked them and
     * why when it was not the owner, so that an owner learns of an admin's revocation or a detected reuse.
     */
    public List<TokenInfo> listRevoked(String owner, int limit) {
        return store.listRevoked(Usernames.canonical(owner), limit).stream()
                .map(t -> t.scopes() == null ? t.withScopes(policy.scopes().byDefault()) : t)
                .toList();
    }

    /**
     * A page of the credentials inventory, every owner's active tokens as {@link #list} shows them. Pending
     * last uses are written first, so that the filters on use are exact at their bounds.
     */
    public List<TokenInfo> inventory(TokenQuery query) {
        flushLastUse();
        // The stored ends made to agree with a lowered maximum, so that the page's filters and paging are the store's.
        if (policy.maxLifetime() != null) {
            store.capLifetimes(policy.maxLifetime());
        }
        return shown(store.inventory(query));
    }

    /**
     * Tokens as people see them: the scopes of tokens of earlier versions filled in, last-use times and addresses
     * not yet written included.
     */
    private List<TokenInfo> shown(List<TokenInfo> tokens) {
        Map<Long, List<TokenInfo.UsedFrom>> stored = policy.addressesKept() == 0 || tokens.isEmpty() ? Map.of()
                : store.usedFrom(tokens.stream().map(TokenInfo::id).toList());
        return tokens.stream()
                .map(t -> t.scopes() == null ? t.withScopes(policy.scopes().byDefault()) : t)
                .map(t -> lastUse.pending(t.id())
                        .filter(p -> t.lastUsedAt() == null || p.isAfter(t.lastUsedAt()))
                        .map(t::withLastUsedAt)
                        .orElse(t))
                .map(t -> policy.addressesKept() == 0 ? t : t.withUsedFrom(LastUseRecorder.merged(
                        stored.getOrDefault(t.id(), List.of()), lastUse.pendingAddresses(t.id()),
                        policy.addressesKept())))
                .toList();
    }

    /** Writes the last-use times gathered since the previous call; run by a background task. */
    public void flushLastUse() {
        Map<Long, LastUseRecorder.Use> batch = lastUse.pendingUses();
        if (batch.isEmpty()) {
            return;
        }
        store.recordLastUse(LastUseRecorder.times(batch), LastUseRecorder.addresses(batch), policy.addressesKept());
        lastUse.written(batch);
    }

    /**
     * Notes tokens that expired since the last call, in the audit trail; run by a background task. A maximum
     * lifetime applies to the tokens made before it, too: those that would outlive it from their creation are
     * first given that earlier end, and the ones past it are noted with the others, once across servers.
     */
    public void noteExpired() {
        if (policy.maxLifetime() != null) {
            store.capLifetimes(policy.maxLifetime());
        }
        for (TokenInfo t : store.noteExpired(clock.instant())) {
            audit.logged(TokenEvents.expired(t));
        }
    }

    /**
     * Tells, once per token and across servers, of the active tokens that will expire within
     * {@link TokenNotices#EXPIRING_WITHIN}: an audit event each, which the webhook's outbox takes as
     * {@code token.expiring}. Run by a background task while a webhook is sent that event.
     */
    public void warnOfExpiry() {
        Instant now = clock.instant();
        for (TokenInfo t : store.warnOfExpiry(now, TokenNotices.EXPIRING_WITHIN)) {
            audit.logged(TokenEvents.expiryWarned(t, now));
        }
    }

    /** Deletes tokens that ended longer ago than the retention period; returns how many. */
    public int purge() {
        return store.purgeEndedBefore(clock.instant().minus(policy.retention()));
    }

    private void refused(TokenInfo token, RefusalReason reason, String clientAddress) {
        AuditEvent event = AuditEvent.of(clock.instant(), AuditType.TOKEN_REFUSED,
                token == null ? null : token.owner(), null, clientAddress, reason.auditText()).withKind(reason);
        audit.recordLater(token == null ? event : event.withToken(token.id(), token.displayPrefix()));
    }

    /** An event of {@code actor}'s request; one made with a token says which (a creation says so itself). */
    private static AuditEvent event(Instant now, AuditType type, Actor actor, String detail) {
        String how = actor.viaTokenId() == null || type == AuditType.TOKEN_CREATED ? null
                : "by token " + actor.viaTokenId();
        return AuditEvent.of(now, type, actor.user(), actor.actingUser(), actor.clientAddress(),
                TokenEvents.joined(detail, how));
    }

    private static String createdHow(Actor actor) {
        return actor.viaTokenId() == null ? "from a login session" : "by token " + actor.viaTokenId();
    }

    private TokenRuleViolation limitReached() {
        return new TokenRuleViolation(ViolationKind.LIMIT_REACHED,
                "Token limit reached (" + policy.maxActivePerUser() + ").");
    }

    private static TokenRuleViolation notFound() {
        return new TokenRuleViolation(ViolationKind.NOT_FOUND, "Token not found.");
    }
}
