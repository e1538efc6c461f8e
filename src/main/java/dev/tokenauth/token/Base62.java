package dev.tokenauth.token;

import java.math.BigInteger;

/**
 * Fixed-width base62 for the token body and its checksum. Fixed width matters: every token has the same
 * length, so a length check alone rejects most typos before any other work.
 */
final class Base62 {

    static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(62);

    private Base62() {
    }

    /** Encodes {@code value} (non-negative) left-padded with '0' to exactly {@code width} characters. */
    static String encode(BigInteger value, int width) {
        if (value.signum() < 0) {
            throw new IllegalArgumentException("negative value");
        }
        char[] out = new char[width];
        BigInteger rest = value;
        for (int i = width - 1; i >= 0; i--) {
            BigInteger[] qr = rest.divideAndRemainder(BASE);
            out[i] = ALPHABET.charAt(qr[1].intValue());
            rest = qr[0];
        }
        if (rest.signum() != 0) {
            throw new IllegalArgumentException("value does not fit in " + width + " base62 digits");
        }
        return new String(out);
    }

    /**
     * As {@link #encode(BigInteger, int)} for a value that fits a {@code long}, in long arithmetic: the checksum of
     * every presented token is encoded, and a BigInteger per digit was a seventh of a token check's time.
     */
    static String encode(long value, int width) {
        if (value < 0) {
            throw new IllegalArgumentException("negative value");
        }
        char[] out = new char[width];
        long rest = value;
        for (int i = width - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (rest % 62));
            rest /= 62;
        }
        if (rest != 0) {
            throw new IllegalArgumentException("value does not fit in " + width + " base62 digits");
        }
        return new String(out);
    }

    /** Minimal number of base62 digits needed for any value of {@code bits} bits. */
    static int widthFor(int bits) {
        return (int) Math.ceil(bits / (Math.log(62) / Math.log(2)));
    }

    /**
     * The value of the {@code width} base62 digits (ASCII) of {@code digits} from {@code offset}, which must all be
     * {@linkplain #isDigit digits}; the inverse of {@link #encode(long, int)} for up to 10 digits (62^10 &lt; 2^63).
     */
    static long decode(byte[] digits, int offset, int width) {
        if (width > 10) {
            throw new IllegalArgumentException("more than 10 base62 digits do not fit in a long");
        }
        long value = 0;
        for (int i = offset; i < offset + width; i++) {
            int c = digits[i];
            value = value * 62 + (c <= '9' ? c - '0' : c <= 'Z' ? c - 'A' + 10 : c - 'a' + 36);
        }
        return value;
    }

    static boolean isDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}
