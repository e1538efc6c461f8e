package dev.tokenauth.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(1000, new SecureRandom());

    @Test
    void hashThenMatchesWithTheSamePasswordIsTrue() {
        String stored = hasher.hash("correct horse battery staple");
        assertTrue(hasher.matches("correct horse battery staple", stored));
    }

    @Test
    void matchesWithAWrongPasswordIsFalse() {
        String stored = hasher.hash("correct horse battery staple");
        assertFalse(hasher.matches("correct horse battery stapl", stored));
        assertFalse(hasher.matches("Correct horse battery staple", stored));
        assertFalse(hasher.matches("", stored));
    }

    @Test
    void matchesHandlesNonAsciiPasswords() {
        String stored = hasher.hash("pässwörd-日本語");
        assertTrue(hasher.matches("pässwörd-日本語", stored));
        assertFalse(hasher.matches("passwörd-日本語", stored));
    }

    @Test
    void twoHashesOfTheSamePasswordDifferBecauseOfTheSalt() {
        String first = hasher.hash("same password");
        String second = hasher.hash("same password");

        assertNotEquals(first, second);
        assertNotEquals(first.split("\\$")[2], second.split("\\$")[2], "salts should differ");
        assertTrue(hasher.matches("same password", first));
        assertTrue(hasher.matches("same password", second));
    }

    @Test
    void storedFormNamesTheSchemeAndIterationsThenSaltAndHash() {
        String stored = hasher.hash("a password");

        assertTrue(stored.startsWith("pbkdf2-sha256$1000$"), stored);
        String[] parts = stored.split("\\$");
        assertEquals(4, parts.length, stored);
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length, "salt bytes");
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length, "hash bytes");
        assertFalse(stored.contains("a password"), "the stored form holds the password");
    }

    @Test
    void matchesUsesTheIterationCountOfTheStoredForm() {
        String storedWith2000 = new PasswordHasher(2000, new SecureRandom()).hash("a password");
        assertTrue(hasher.matches("a password", storedWith2000), "a 1000-iteration hasher should check a 2000 hash");

        String relabelled = storedWith2000.replace("$2000$", "$1000$");
        assertFalse(hasher.matches("a password", relabelled), "the iteration count is part of the hash");
    }

    @Test
    void matchesAKnownHashComputedIndependently() throws Exception {
        byte[] salt = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] hash = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new javax.crypto.spec.PBEKeySpec("s3cret-pw".toCharArray(), salt, 1000, 256))
                .getEncoded();
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        String stored = "pbkdf2-sha256$1000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);

        assertTrue(hasher.matches("s3cret-pw", stored));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "x$y",
        "pbkdf2-sha256",
        "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA",
        "pbkdf2-sha1$1000$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
        "PBKDF2-SHA256$1000$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
        "pbkdf2-sha256$1000$!!not base64!!$aGFzaA",
        "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$!!not base64!!",
        "pbkdf2-sha256$many$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
        "pbkdf2-sha256$$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
        "pbkdf2-sha256$0$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
        "pbkdf2-sha256$-5$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA",
        "pbkdf2-sha256$1000$$aGFzaA",
        "pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA$extra",
    })
    void matchesAMalformedStoredFormIsFalse(String stored) {
        assertFalse(hasher.matches("any password", stored), "should refuse stored form " + stored);
    }

    @Test
    void constructorRefusesANonPositiveIterationCountOrNoRandom() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(0, new SecureRandom()));
        assertThrows(NullPointerException.class, () -> new PasswordHasher(1000, null));
    }

    @Test
    void aHashNeedsRehashingExactlyWhenItWasMadeAtAnotherCountOrInAnotherForm() {
        PasswordHasher current = new PasswordHasher(1000, new SecureRandom());
        assertFalse(current.needsRehash(current.hash("a password")));
        assertTrue(current.needsRehash(new PasswordHasher(600_000, new SecureRandom()).hash("a password")));
        assertTrue(current.needsRehash(new PasswordHasher(100, new SecureRandom()).hash("a password")));
        assertTrue(current.needsRehash("md5$1000$abc$def"));
        assertTrue(current.needsRehash(null));
    }
}
