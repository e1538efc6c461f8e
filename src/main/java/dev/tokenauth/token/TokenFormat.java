package dev.tokenauth.token;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The shape of a token: {@code tka_} + 256 random bits in base62 + a base62 CRC32 of what precedes it.
 * <p>
 * The checksum (as in GitHub's token format) lets a mistyped, truncated or made-up token be refused without a
 * database read, and lets secret scanners recognise our tokens. It is not a security measure: the 256 random
 * bits are. The database only ever sees {@link #digest(String)}.
 */
public final class TokenFormat {

    public static final String PREFIX = "tka_";
    static final int RANDOM_BYTES = 32;
    static final int BODY_LENGTH = Base62.widthFor(RANDOM_BYTES * 8);
    static final int CHECKSUM_LENGTH = Base62.widthFor(32);
    public static final int LENGTH = PREFIX.length() + BODY_LENGTH + CHECKSUM_LENGTH;
    /** Characters of the token shown in lists and logs: the prefix plus a few of the random body. */
    static final int DISPLAY_LENGTH = PREFIX.length() + 6;
    private static final HexFormat HEX = HexFormat.of();
    /** The prototype that {@link #sha256()} clones; null where the provider's digest is not cloneable. */
    private static final MessageDigest SHA256 = cloneableSha256();

    private TokenFormat() {
    }

    /** A new token with 256 bits from {@code random}. */
    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        String head = PREFIX + Base62.encode(new BigInteger(1, bytes), BODY_LENGTH);
        return head + checksum(head);
    }

    /**
     * True when {@code candidate} has the token's prefix, length, alphabet and a matching checksum. Pure
     * computation: what it refuses never reaches the store.
     */
    public static boolean isWellFormed(String candidate) {
        if (candidate == null || candidate.length() != LENGTH || !candidate.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (!Base62.isDigit(candidate.charAt(i))) {
                return false;
            }
        }
        int headLength = LENGTH - CHECKSUM_LENGTH;
        return checksum(candidate, headLength).regionMatches(0, candidate, headLength, CHECKSUM_LENGTH);
    }

    /** The SHA-256 of the token, hex-encoded: the only form in which a token is stored or looked up. */
    public static String digest(String token) {
        return HEX.formatHex(sha256().digest(token.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * A fresh SHA-256 digest, cloned from one found once: every request with a token digests it, and the provider
     * lookup of {@code getInstance} cost more than the hash of 50 bytes. Falls back to the lookup where the provider's
     * digest cannot be cloned.
     */
    private static MessageDigest sha256() {
        if (SHA256 != null) {
            try {
                return (MessageDigest) SHA256.clone();
            } catch (CloneNotSupportedException e) {
                // Only the lookup below, then.
            }
        }
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static MessageDigest cloneableSha256() {
        try {
            MessageDigest prototype = MessageDigest.getInstance("SHA-256");
            prototype.clone();
            return prototype;
        } catch (NoSuchAlgorithmException | CloneNotSupportedException e) {
            return null;
        }
    }

    /**
     * The non-secret part that names a token to people (lists, logs, audit): 6 of its 43 random characters,
     * leaving well over 200 bits unknown.
     */
    public static String displayPrefix(String token) {
        return token.substring(0, DISPLAY_LENGTH);
    }

    private static String checksum(String head) {
        return checksum(head, head.length());
    }

    /** The checksum of the first {@code length} characters of {@code text} (ASCII). */
    private static String checksum(String text, int length) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.US_ASCII), 0, length);
        return Base62.encode(crc.getValue(), CHECKSUM_LENGTH);
    }
}
