package dev.tokenauth.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSignatureIsHmacSha256OfTheBodyInHex() {
        // RFC 4231, test case 2.
        assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                new WebhookSignature("Jefe").of(bytes("what do ya want for nothing?")));
    }

    @Test
    void aChangedBodyOrAnotherKeyDoesNotMatch() {
        WebhookSignature signature = new WebhookSignature("0123456789abcdef0123456789abcdef");
        String header = signature.of(bytes("{\"id\":\"1\"}"));

        assertTrue(signature.matches(bytes("{\"id\":\"1\"}"), header));
        assertFalse(signature.matches(bytes("{\"id\":\"2\"}"), header));
        assertFalse(new WebhookSignature("another key of thirty-two chars!").matches(bytes("{\"id\":\"1\"}"), header));
        assertFalse(signature.matches(bytes("{\"id\":\"1\"}"), null));
        assertEquals("WebhookSignature[secret not shown]", signature.toString());
    }
}
