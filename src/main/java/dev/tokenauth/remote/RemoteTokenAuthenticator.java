package dev.tokenauth.remote;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import dev.tokenauth.log.LogText;
import dev.tokenauth.token.AuthenticatedToken;
import dev.tokenauth.token.TokenAuthenticator;
import dev.tokenauth.token.TokenFormat;
import dev.tokenauth.token.ValidationCache;

/**
 * Authenticates tokens by asking a tokenauth service (the filter's remote mode): the application has no token
 * database of its own. A presented token that is not well formed (prefix, length, checksum) is refused here, without a
 * call. The service's active answers are kept, by the token's digest, for the cache's age ({@code
 * tokenauth.token.cache.ttl}) and never past the token's own end; inactive answers are never kept, so that a token
 * made a moment ago works at once. A revocation at the service therefore counts here within the cache's age (0: at
 * once, every request asks). A service that cannot answer refuses the request (503), except for a token whose active
 * answer is still fresh here.
 */
public final class RemoteTokenAuthenticator implements TokenAuthenticator, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RemoteTokenAuthenticator.class.getName());

    private final Function<String, Optional<ActiveToken>> service;
    private final AutoCloseable client;
    private final Clock clock;
    private final String describe;
    /** Active answers by digest; null when the cache is off. */
    private final Cache<String, ActiveToken> active;
    /** Digests that authenticated lately, for {@link #knownGood} (never a reason to let a token in). */
    private final Cache<String, Boolean> knownGood;

    RemoteTokenAuthenticator(Function<String, Optional<ActiveToken>> service, AutoCloseable client, String describe,
            long cacheSize, Duration cacheTtl, Clock clock, Ticker ticker) {
        this.service = service;
        this.client = client;
        this.describe = describe;
        this.clock = clock;
        this.active = cacheSize == 0 || cacheTtl.isZero() ? null : Caffeine.newBuilder()
                .maximumSize(cacheSize)
                .expireAfter(new UntilTheTokensEnd(cacheTtl, clock))
                .ticker(ticker)
                // Upkeep on the calling thread: no task of ours on the JVM's common pool, which outlives the application.
                .executor(Runnable::run)
                .build();
        this.knownGood = cacheSize == 0 ? null : Caffeine.newBuilder()
                .maximumSize(cacheSize)
                .expireAfterWrite(ValidationCache.KNOWN_GOOD_FOR)
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    /** The authenticator that asks the service at {@code url} with {@code token}, each call bounded by {@code timeout}. */
    public static RemoteTokenAuthenticator of(URI url, String token, Duration timeout, long cacheSize,
            Duration cacheTtl) {
        IntrospectionClient client = new IntrospectionClient(url, token, timeout, Clock.systemUTC());
        return new RemoteTokenAuthenticator(client::introspect, client, client.describe() + "; active answers kept "
                + (cacheSize == 0 || cacheTtl.isZero() ? "never (cache off)" : cacheTtl.toSeconds() + " s"),
                cacheSize, cacheTtl, Clock.systemUTC(), Ticker.systemTicker());
    }

    @Override
    public Optional<AuthenticatedToken> authenticate(String presented, String clientAddress) {
        Optional<String> wellFormed = TokenFormat.digestIfWellFormed(presented);
        if (wellFormed.isEmpty()) {
            return Optional.empty();
        }
        String digest = wellFormed.get();
        ActiveToken known = active == null ? null : active.getIfPresent(digest);
        if (known == null || ended(known)) {
            Optional<ActiveToken> answer = service.apply(presented);
            if (answer.isEmpty() || ended(answer.get())) {
                return Optional.empty();
            }
            known = answer.get();
            if (active != null) {
                active.put(digest, known);
            }
        }
        if (knownGood != null && knownGood.getIfPresent(digest) == null) {
            knownGood.put(digest, Boolean.TRUE);
        }
        return Optional.of(known.token());
    }

    private boolean ended(ActiveToken token) {
        return token.expiresAt() != null && !clock.instant().isBefore(token.expiresAt());
    }

    @Override
    public boolean knownGood(String presented) {
        return knownGood != null
                && TokenFormat.digestIfWellFormed(presented).map(d -> knownGood.getIfPresent(d) != null).orElse(false);
    }

    /** The service counts the refusals it sees; the gate here counts every one in its meters. */
    @Override
    public void refusedUnusableHeader(String clientAddress) {
    }

    /** There is no audit trail here: the one line of the lockout is the log's. */
    @Override
    public void addressThrottled(String clientAddress, String why) {
        LOG.warning(() -> "Token requests from " + LogText.escape(clientAddress) + " refused for a while: " + why);
    }

    /** For the start-up line. */
    public String describe() {
        return describe;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            LOG.fine(() -> "closing the token service's client: " + e);
        }
    }

    /** An answer is kept for the cache's age, and never past the end of its token. */
    private static final class UntilTheTokensEnd implements Expiry<String, ActiveToken> {
        private final Duration ttl;
        private final Clock clock;

        UntilTheTokensEnd(Duration ttl, Clock clock) {
            this.ttl = ttl;
            this.clock = clock;
        }

        @Override
        public long expireAfterCreate(String digest, ActiveToken token, long currentTime) {
            Duration left = token.expiresAt() == null ? ttl : Duration.between(clock.instant(), token.expiresAt());
            return left.compareTo(ttl) >= 0 ? ttl.toNanos() : Math.max(0, left.toNanos());
        }

        @Override
        public long expireAfterUpdate(String digest, ActiveToken token, long currentTime, long currentDuration) {
            return expireAfterCreate(digest, token, currentTime);
        }

        @Override
        public long expireAfterRead(String digest, ActiveToken token, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
