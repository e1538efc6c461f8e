package dev.tokenauth.token;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a token's owner should be told about it, as GitLab tells of expiring and unused tokens: one rule for the API
 * and the account page.
 */
public final class TokenNotices {

    /** A token that expires within this is expiring soon. */
    public static final Duration EXPIRING_WITHIN = Duration.ofDays(7);

    /** A token not used for this long (or, never used, made this long ago) is unused. */
    public static final Duration UNUSED_FOR = Duration.ofDays(90);

    /** The notice of a token that expires within {@link #EXPIRING_WITHIN}. */
    public static final String EXPIRING_SOON = "expiring_soon";

    /** The notice of a token not used for {@link #UNUSED_FOR}. */
    public static final String UNUSED = "unused";

    private TokenNotices() {
    }

    /** Whole days until {@code token} expires, rounded down (0 within the last day); null for a token that never does. */
    public static Long expiresInDays(TokenInfo token, Instant now) {
        return token.expiresAt() == null ? null : Math.max(0, Duration.between(now, token.expiresAt()).toDays());
    }

    /** The notices for an active {@code token} at {@code now}, in this order: expiring soon, unused. */
    public static List<String> of(TokenInfo token, Instant now) {
        List<String> notices = new ArrayList<>(2);
        if (token.expiresAt() != null && token.expiresAt().isBefore(now.plus(EXPIRING_WITHIN))) {
            notices.add(EXPIRING_SOON);
        }
        Instant lastSign = token.lastUsedAt() != null ? token.lastUsedAt() : token.createdAt();
        if (lastSign != null && !lastSign.isAfter(now.minus(UNUSED_FOR))) {
            notices.add(UNUSED);
        }
        return notices;
    }
}
