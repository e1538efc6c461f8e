package dev.tokenauth.metrics;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

import dev.tokenauth.config.Setting;
import dev.tokenauth.config.BadSetting;

/**
 * Who may read the metrics, from {@code tokenauth.metrics} and {@code tokenauth.metrics.token} (see {@link Setting}):
 * admins (by login session or token, checked behind {@code TokenAuthFilter}), a scraper presenting the shared
 * secret as {@code Authorization: Bearer <secret>}, anyone, or no one. The secret is kept only as its SHA-256
 * digest and compared in constant time; it never reaches a log line or {@link #toString()}.
 */
public final class MetricsAccess {


    /** The shortest scrape secret accepted: 32 characters, as {@code openssl rand -hex 16} makes. */
    public static final int MIN_SECRET_LENGTH = 32;

    private static final String BEARER = "Bearer ";

    /** The values of {@code tokenauth.metrics}. */
    public enum Mode {
        /** Admins, and a scraper with the secret when one is set. */
        ADMIN,
        /** Anyone, without credentials. */
        OPEN,
        /** No meters kept; {@code /metrics} is 404. */
        OFF
    }

    private final Mode mode;
    private final byte[] secretDigest;

    private MetricsAccess(Mode mode, String secret) {
        this.mode = mode;
        this.secretDigest = secret.isEmpty() ? null : sha256(secret);
    }

    /**
     * The access the settings ask for ({@code admin}, {@code open} or {@code off}, and the scrape secret or empty).
     *
     * @throws BadSetting naming the setting (never showing the secret)
     */
    public static MetricsAccess of(String mode, String secret) {
        Mode parsed;
        try {
            parsed = Mode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadSetting(Setting.METRICS, mode, "must be admin, open or off");
        }
        String s = secret == null ? "" : secret;
        if (!s.isEmpty() && (s.length() < MIN_SECRET_LENGTH || !s.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new BadSetting(Setting.METRICS_TOKEN, s, "must be at least " + MIN_SECRET_LENGTH
                    + " printable ASCII characters without spaces");
        }
        return new MetricsAccess(parsed, s);
    }

    public Mode mode() {
        return mode;
    }

    /** True when {@code authorization}, the request's one Authorization header, is {@code Bearer <the secret>}. */
    public boolean isScrapeSecret(String authorization) {
        if (secretDigest == null || mode != Mode.ADMIN || authorization == null
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        // Digests of equal length, compared in constant time: neither the secret nor its length leaks by timing.
        return MessageDigest.isEqual(secretDigest, sha256(authorization.substring(BEARER.length())));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** For the start-up line: the mode, and whether a scrape secret is set (never the secret). */
    @Override
    public String toString() {
        return switch (mode) {
            case ADMIN -> "admins" + (secretDigest == null ? "" : " and the scrape secret");
            case OPEN -> "anyone" + (secretDigest == null ? "" : " (tokenauth.metrics.token is not needed)");
            case OFF -> "off";
        };
    }
}
