package dev.tokenauth.web;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.tokenauth.user.Usernames;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * OWASP's device cookie ("Slow Down Online Guessing Attacks with Device Cookies"): a browser that logged in as an
 * account gets {@code tokenauth_device=<user>|<issued at, epoch seconds>|<nonce>|<HMAC-SHA256, base64url>}, so that
 * its later attempts as that account can be told from a guesser's and counted apart. The cookie proves only that
 * this browser once knew the account's password; it logs no one in. Stateless: any node with the same key accepts
 * it, for {@link #LIFETIME} after it was issued.
 */
public final class DeviceCookie {

    public static final String NAME = "tokenauth_device";
    public static final Duration LIFETIME = Duration.ofDays(30);
    /** The shortest key accepted from the settings: 32 characters, as {@code openssl rand -hex 16} makes. */
    public static final int MIN_KEY_LENGTH = 32;

    private static final String ALGORITHM = "HmacSHA256";
    /** Bound into every MAC, so that the key signs nothing else by mistake. */
    private static final byte[] PURPOSE = "tokenauth device cookie v1\n".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 16;
    /** The characters a cookie value may hold unquoted (RFC 6265) that a user name may too; others get no cookie. */
    private static final Pattern COOKIE_SAFE_NAME = Pattern.compile("[A-Za-z0-9._@-]+");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** A browser that presented a valid device cookie. */
    public record Device(String username, String id) {
        public Device {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(id, "id");
        }
    }

    private final SecretKeySpec key;
    private final Clock clock;
    private final SecureRandom random;

    private DeviceCookie(byte[] key, Clock clock, SecureRandom random) {
        this.key = new SecretKeySpec(key, ALGORITHM);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Cookies signed with {@code key}, which every node that should accept them shares.
     *
     * @throws IllegalArgumentException when the key is shorter than {@link #MIN_KEY_LENGTH}
     */
    public static DeviceCookie withKey(String key, Clock clock, SecureRandom random) {
        if (key == null || key.length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("must be at least " + MIN_KEY_LENGTH + " characters");
        }
        return new DeviceCookie(key.getBytes(StandardCharsets.UTF_8), clock, random);
    }

    /** Cookies signed with a key of this start alone: a restart, or another node, accepts none of them. */
    public static DeviceCookie withRandomKey(Clock clock, SecureRandom random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return new DeviceCookie(key, clock, random);
    }

    /** A new cookie value for {@code username}, issued now; empty for a name no cookie value can carry. */
    Optional<String> sign(String username) {
        String name = Usernames.canonical(username);
        if (name == null || !COOKIE_SAFE_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        String payload = name + "|" + clock.instant().getEpochSecond() + "|" + B64.encodeToString(nonce);
        return Optional.of(payload + "|" + B64.encodeToString(mac(payload)));
    }

    /**
     * The device {@code value} proves, when it is a cookie this key signed for {@code username} (compared in
     * canonical form) that has not expired; empty for anything else, tampered, expired, another user's or signed
     * with another key alike.
     */
    Optional<Device> verify(String value, String username) {
        String name = Usernames.canonical(username);
        if (value == null || name == null) {
            return Optional.empty();
        }
        int mark = value.lastIndexOf('|');
        if (mark < 0) {
            return Optional.empty();
        }
        String payload = value.substring(0, mark);
        // The MAC first, in constant time: nothing of an unsigned value is believed, not even its fields. Compared as
        // written, not decoded, so that no second spelling of a cookie (padding, spare bits) passes as well.
        byte[] expected = B64.encodeToString(mac(payload)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, value.substring(mark + 1).getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        String[] fields = payload.split("\\|", -1);
        if (fields.length != 3 || !fields[0].equals(name)) {
            return Optional.empty();
        }
        Instant issued;
        try {
            issued = Instant.ofEpochSecond(Long.parseLong(fields[1]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(issued.plus(LIFETIME))) {
            return Optional.empty();
        }
        return Optional.of(new Device(name, id(fields[2])));
    }

    /** The device the request's cookie proves for {@code username}, the name being tried; empty without one. */
    public Optional<Device> presented(HttpServletRequest request, String username) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null || username == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (NAME.equals(cookie.getName())) {
                Optional<Device> device = verify(cookie.getValue(), username);
                if (device.isPresent()) {
                    return device;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Gives the browser a new cookie for {@code username}, who has just logged in: {@code HttpOnly},
     * {@code SameSite=Strict}, {@code Secure} when the request came over HTTPS, for the application's path, for
     * {@link #LIFETIME}. Written by hand so that every container sends the same attributes.
     */
    public void issue(HttpServletRequest request, HttpServletResponse response, String username) {
        Optional<String> value = sign(username);
        if (value.isEmpty()) {
            return;
        }
        String path = request.getContextPath();
        response.addHeader("Set-Cookie", NAME + "=" + value.get() + "; Path=" + (path.isEmpty() ? "/" : path)
                + "; Max-Age=" + LIFETIME.toSeconds() + (request.isSecure() ? "; Secure" : "")
                + "; HttpOnly; SameSite=Strict");
    }

    /**
     * What names the device in the throttle and the audit: a digest of the cookie's nonce, never the nonce, since a
     * valid cookie is worth something to whoever reads a log.
     */
    private static String id(String nonce) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(nonce.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(PURPOSE);
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java platform", e);
        }
    }
}
