package dev.tokenauth.token;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The application's source of secrets (tokens, salts, CSRF tokens, device keys). {@code new SecureRandom()} may
 * block: with {@code securerandom.source=file:/dev/random}, or a JDK whose default seeds from a blocking source, a
 * creation can wait for entropy on a fresh virtual machine, which is where servers start. NativePRNGNonBlocking takes
 * every byte and its seed from {@code /dev/urandom}, which the kernel keeps cryptographically strong and never blocks
 * once booted; where it does not exist (Windows), the platform's default is used (DRBG there, which does not block).
 */
public final class NonBlockingRandom {

    static final String ALGORITHM = "NativePRNGNonBlocking";

    private NonBlockingRandom() {
    }

    public static SecureRandom create() {
        try {
            return SecureRandom.getInstance(ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
