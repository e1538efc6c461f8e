package dev.tokenauth.token;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
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
        return wellFormedAscii(candidate) != null;
    }

    /**
     * The {@linkplain #digest digest} of {@code candidate} when it {@linkplain #isWellFormed is well formed}, else
     * empty: every presented token is checked and then digested, and both work on one encoding of it.
     */
    public static Optional<String> digestIfWellFormed(String candidate) {
        byte[] ascii = wellFormedAscii(candidate);
        return ascii == null ? Optional.empty() : Optional.of(digest(ascii));
    }

    /** The SHA-256 of the token, hex-encoded: the only form in which a token is stored or looked up. */
    public static String digest(String token) {
        return digest(token.getBytes(StandardCharsets.US_ASCII));
    }

    private static String digest(byte[] ascii) {
        return HEX.formatHex(sha256().digest(ascii));
    }

    /** The characters of a well-formed {@code candidate} as ASCII bytes; null when it is not well formed. */
    private static byte[] wellFormedAscii(String candidate) {
        if (candidate == null || candidate.length() != LENGTH || !candidate.startsWith(PREFIX)) {
            return null;
        }
        // A character outside ASCII becomes '?', which is no base62 digit: refused below like any other.
        byte[] ascii = candidate.getBytes(StandardCharsets.US_ASCII);
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (!Base62.isDigit((char) ascii[i])) {
                return null;
            }
        }
        int headLength = LENGTH - CHECKSUM_LENGTH;
        CRC32 crc = new CRC32();
        crc.update(ascii, 0, headLength);
        // Compared as numbers: a width-6 base62 string names one value, so this is the comparison of the strings,
        // without making one per presented token.
        return Base62.decode(ascii, headLength, CHECKSUM_LENGTH) == crc.getValue() ? ascii : null;
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

    /** The checksum of {@code head} (ASCII). */
    private static String checksum(String head) {
        CRC32 crc = new CRC32();
        crc.update(head.getBytes(StandardCharsets.US_ASCII));
        return Base62.encode(crc.getValue(), CHECKSUM_LENGTH);
    }
}
