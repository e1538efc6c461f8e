package dev.tokenauth.token;

import java.time.Duration;
import java.time.Instant;


/**
 * The configurable limits of the token rules.
 *
 * @param defaultLifetime lifetime of a token created without {@code expires_in}; null for none
 * @param maxLifetime the longest lifetime any request may get; null for no maximum
 * @param defaultGrace how long a rotated token keeps working when the request names no grace period
 * @param maxGrace the longest grace period a rotation may ask for
 * @param maxActivePerUser how many active tokens one user may hold (tokens in their grace period after a rotation
 *        included; a rotation may go one past it until the old token ends)
 * @param retention how long revoked and expired tokens are kept before they are purged
 * @param scopes the scopes the application knows
 * @param addressesKept how many of the most recent distinct client addresses each token keeps; 0 for none
 */
public record TokenPolicy(Duration defaultLifetime, Duration maxLifetime, Duration defaultGrace, Duration maxGrace,
        int maxActivePerUser, Duration retention, Scopes scopes, int addressesKept) {

    /** How many addresses a token keeps unless configured otherwise. */
    public static final int DEFAULT_ADDRESSES_KEPT = 5;

    public static final int MAX_LABEL_LENGTH = 100;

    /**
     * The most combining marks a label may stack on one character: enough for ordinary writing (decomposed
     * Vietnamese stacks two, pointed Hebrew three), too few to paint over the lines around the label.
     */
    public static final int MAX_STACKED_MARKS = 3;

    /**
     * No lifetime or grace period reaches past this, whatever the settings say: an end time must stay within
     * what every database stores (Derby's timestamps end with the year 9999) and within Instant's arithmetic.
     */
    public static final Duration LONGEST = Duration.ofDays(36_500);

    public TokenPolicy {
        requirePositive(defaultLifetime, "default lifetime");
        requirePositive(maxLifetime, "maximum lifetime");
        requireAtMostLongest(defaultLifetime, "default lifetime");
        requireAtMostLongest(maxLifetime, "maximum lifetime");
        requireAtMostLongest(maxGrace, "maximum grace period");
        if (defaultLifetime != null && maxLifetime != null && defaultLifetime.compareTo(maxLifetime) > 0) {
            throw new IllegalArgumentException("the default lifetime exceeds the maximum lifetime");
        }
        if (defaultGrace.isNegative() || maxGrace.isNegative() || defaultGrace.compareTo(maxGrace) > 0) {
            throw new IllegalArgumentException("grace periods must be >= 0 and the default at most the maximum");
        }
        if (maxActivePerUser < 1) {
            throw new IllegalArgumentException("the token limit must be at least 1");
        }
        requirePositive(retention, "retention");
        java.util.Objects.requireNonNull(scopes, "scopes");
        if (addressesKept < 0) {
            throw new IllegalArgumentException("the addresses kept must be >= 0");
        }
    }

    /** These limits with the default number of addresses kept. */
    public TokenPolicy(Duration defaultLifetime, Duration maxLifetime, Duration defaultGrace, Duration maxGrace,
            int maxActivePerUser, Duration retention, Scopes scopes) {
        this(defaultLifetime, maxLifetime, defaultGrace, maxGrace, maxActivePerUser, retention, scopes,
                DEFAULT_ADDRESSES_KEPT);
    }

    /** These limits with the built-in scopes only ({@link Scopes#defaults()}). */
    public TokenPolicy(Duration defaultLifetime, Duration maxLifetime, Duration defaultGrace, Duration maxGrace,
            int maxActivePerUser, Duration retention) {
        this(defaultLifetime, maxLifetime, defaultGrace, maxGrace, maxActivePerUser, retention, Scopes.defaults());
    }

    /** No lifetime limits, one day of grace (at most seven), ten tokens a user, thirty days of retention. */
    public static TokenPolicy defaults() {
        return new TokenPolicy(null, null, Duration.ofDays(1), Duration.ofDays(7), 10, Duration.ofDays(30));
    }

    /**
     * When a token created at {@code now} expires: after {@code requested} if given, else after the default
     * lifetime, never later than the maximum lifetime; null for never.
     */
    Instant expiryFor(Instant now, Duration requested) {
        if (requested != null) {
            if (requested.isZero() || requested.isNegative()) {
                throw new TokenRuleViolation(ViolationKind.INVALID, "expires_in must be a positive number of seconds.");
            }
            Duration ceiling = maxLifetime != null ? maxLifetime : LONGEST;
            if (requested.compareTo(ceiling) > 0) {
                throw new TokenRuleViolation(ViolationKind.INVALID,
                        "expires_in exceeds the maximum lifetime of " + ceiling.toSeconds() + " seconds.");
            }
            return now.plus(requested);
        }
        Duration lifetime = defaultLifetime != null ? defaultLifetime : maxLifetime;
        return lifetime == null ? null : now.plus(lifetime);
    }

    /**
     * When a rotation's successor, made at {@code now}, expires: it starts a fresh lifetime, as GitLab's self-rotation
     * does, so that a daily rotation goes on for as long as the account needs it. The lifetime is {@code requested}
     * if given, else the one {@code old} was created with (none for a token that never expires), never over the
     * maximum lifetime; null for never.
     */
    Instant renewedExpiry(Instant now, Duration requested, TokenInfo old) {
        if (requested != null) {
            return expiryFor(now, requested);
        }
        Duration lifetime = old.expiresAt() == null || old.createdAt() == null ? null
                : Duration.between(old.createdAt(), old.expiresAt());
        if (lifetime == null || (maxLifetime != null && lifetime.compareTo(maxLifetime) > 0)) {
            lifetime = maxLifetime;
        }
        return lifetime == null ? null : now.plus(lifetime.compareTo(LONGEST) > 0 ? LONGEST : lifetime);
    }

    /**
     * When {@code token} ends under today's maximum lifetime: its own expiry, or its creation plus the maximum if
     * that is sooner, so that lowering the maximum also ends the tokens made before it (GitLab revokes them).
     */
    public Instant endOf(TokenInfo token) {
        if (maxLifetime == null || token.createdAt() == null) {
            return token.expiresAt();
        }
        Instant latest = token.createdAt().plus(maxLifetime);
        return token.expiresAt() == null || latest.isBefore(token.expiresAt()) ? latest : token.expiresAt();
    }

    /** {@code token} with its expiry as {@link #endOf} has it. */
    public TokenInfo capped(TokenInfo token) {
        Instant end = endOf(token);
        return java.util.Objects.equals(end, token.expiresAt()) ? token : token.withExpiresAt(end);
    }

    /** The grace period for a rotation: {@code requested} if given, else the default; never over the maximum. */
    Duration graceFor(Duration requested) {
        if (requested == null) {
            return defaultGrace;
        }
        if (requested.isNegative() || requested.compareTo(maxGrace) > 0) {
            throw new TokenRuleViolation(ViolationKind.INVALID,
                    "grace_seconds must be between 0 and " + maxGrace.toSeconds() + ".");
        }
        return requested;
    }

    static final String LABEL_TOO_LONG_OR_HIDDEN = "label must be at most " + MAX_LABEL_LENGTH
            + " characters, without control or format characters.";
    static final String LABEL_ONLY_SPACES = "label must not be only spaces; leave it out for no label.";
    static final String LABEL_FILLER =
            "label must not hold invisible fillers (such as U+3164 HANGUL FILLER or U+2800 BRAILLE PATTERN BLANK).";
    static final String LABEL_STACKED_MARKS =
            "label must not stack more than " + MAX_STACKED_MARKS + " combining marks on one character.";

    /**
     * The label without the spaces around it, or null for none (absent or empty). Refused: spaces only (a label
     * that shows as nothing in a list), over {@value #MAX_LABEL_LENGTH} characters, {@link #hidden} characters,
     * {@link #filler invisible fillers}, and more than {@value #MAX_STACKED_MARKS} combining marks on one
     * character (text that spills over the lines around it).
     */
    static String checkLabel(String label) {
        if (label == null || label.isEmpty()) {
            return null;
        }
        String trimmed = stripSpaces(label);
        if (trimmed.isEmpty()) {
            throw new TokenRuleViolation(ViolationKind.INVALID, LABEL_ONLY_SPACES);
        }
        if (trimmed.length() > MAX_LABEL_LENGTH || trimmed.codePoints().anyMatch(TokenPolicy::hidden)) {
            throw new TokenRuleViolation(ViolationKind.INVALID, LABEL_TOO_LONG_OR_HIDDEN);
        }
        if (trimmed.codePoints().anyMatch(TokenPolicy::filler)) {
            throw new TokenRuleViolation(ViolationKind.INVALID, LABEL_FILLER);
        }
        if (mostStackedMarks(trimmed) > MAX_STACKED_MARKS) {
            throw new TokenRuleViolation(ViolationKind.INVALID, LABEL_STACKED_MARKS);
        }
        return trimmed;
    }

    /**
     * {@code text} without leading and trailing spaces of any kind: {@link String#strip()} keeps the no-break
     * spaces (U+00A0, U+2007, U+202F), which show as blank all the same.
     */
    private static String stripSpaces(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && space(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && space(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }

    private static boolean space(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    /**
     * A letter or mark that shows as nothing, which the categories of {@link #hidden} miss: the Hangul fillers,
     * the blank Braille pattern, the combining grapheme joiner and the Khmer inherent vowels (all but the Braille
     * blank are Unicode's default-ignorable code points). A label made of them looks empty, or like another.
     */
    static boolean filler(int codePoint) {
        return switch (codePoint) {
            case 0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0 -> true;
            default -> false;
        };
    }

    /** The longest run of combining marks (Mn, Mc, Me) in {@code text}: the marks stacked on one character. */
    static int mostStackedMarks(String text) {
        int most = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            switch (Character.getType(text.codePointAt(i))) {
                case Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK -> {
                    run++;
                    most = Math.max(most, run);
                }
                default -> run = 0;
            }
        }
        return most;
    }

    /**
     * A character that shows as nothing, or as something else, in a page: controls (Cc), format characters (Cf,
     * such as a right-to-left override, which can make a label read as another), surrogates without their pair,
     * private-use and unassigned code points, and line and paragraph separators.
     */
    static boolean hidden(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    /**
     * The expiry of a token that a token creates: at most the creating token's own end ({@code parentEnd}, null
     * for never), so that no token outlives the one it was made with. Asking for more is refused; without a request,
     * the earlier of the default and the parent's end.
     */
    static Instant boundedBy(Instant expiry, Duration requested, Instant now, Instant parentEnd) {
        if (parentEnd == null) {
            return expiry;
        }
        if (requested != null && expiry.isAfter(parentEnd)) {
            throw new TokenRuleViolation(ViolationKind.INVALID, "expires_in must not reach past the expiry of the"
                    + " token that makes the request (" + parentEnd + ", " + Duration.between(now, parentEnd).toSeconds()
                    + " seconds from now).");
        }
        return expiry == null || expiry.isAfter(parentEnd) ? parentEnd : expiry;
    }

    private static void requireAtMostLongest(Duration d, String what) {
        if (d != null && d.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException(what + " must be at most " + LONGEST.toSeconds() + " seconds");
        }
    }

    private static void requirePositive(Duration d, String what) {
        if (d != null && (d.isZero() || d.isNegative())) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }
}
