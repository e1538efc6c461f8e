package dev.tokenauth.token;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.RecordingAuditStore;

/**
 * Builds the {@link TokenService} a test needs on its store: by default the default policy, an audit trail that
 * records into memory, the system clock in whole milliseconds, no cache and no change announcements.
 */
public final class TokenServiceFixture {

    private final TokenStore store;
    private TokenPolicy policy = TokenPolicy.defaults();
    private AuditTrail audit;
    private Clock clock = Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
    private ValidationCache cache = ValidationCache.OFF;
    private TokenChanges changes = TokenChanges.NONE;

    private TokenServiceFixture(TokenStore store) {
        this.store = store;
    }

    public static TokenServiceFixture on(TokenStore store) {
        return new TokenServiceFixture(store);
    }

    public TokenServiceFixture policy(TokenPolicy policy) {
        this.policy = policy;
        return this;
    }

    public TokenServiceFixture audit(AuditTrail audit) {
        this.audit = audit;
        return this;
    }

    public TokenServiceFixture clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public TokenServiceFixture cache(ValidationCache cache) {
        this.cache = cache;
        return this;
    }

    public TokenServiceFixture changes(TokenChanges changes) {
        this.changes = changes;
        return this;
    }

    public TokenService build() {
        return new TokenService(store, policy, audit != null ? audit : new AuditTrail(new RecordingAuditStore()), clock,
                new SecureRandom(), cache, changes);
    }
}
