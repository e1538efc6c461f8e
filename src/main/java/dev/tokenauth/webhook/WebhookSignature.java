package dev.tokenauth.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a delivery, as GitHub's webhooks sign theirs: {@code X-Tokenauth-Signature: sha256=<hex>}, the
 * HMAC-SHA256 of the exact body bytes under the shared secret. A receiver computes the same and compares in constant
 * time (README shows it in Java).
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Tokenauth-Signature";
    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = "sha256=";

    private final SecretKeySpec key;

    public WebhookSignature(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("a webhook secret is needed");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The header's value for this body. */
    public String of(byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    /** Whether {@code header} is this body's signature, compared in constant time. */
    public boolean matches(byte[] body, String header) {
        return header != null && MessageDigest.isEqual(of(body).getBytes(StandardCharsets.US_ASCII),
                header.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "WebhookSignature[secret not shown]";
    }
}
