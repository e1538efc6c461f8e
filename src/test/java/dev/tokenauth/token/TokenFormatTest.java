package dev.tokenauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenFormatTest {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final SecureRandom random = new SecureRandom();

    @Test
    void theWorkedExampleForSecretScannersInTheApiDocumentIsAWellFormedToken() throws java.io.IOException {
        String head = "tka_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg";
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("src/site/markdown/api.md"));

        assertEquals(419796809L, crc.getValue());
        assertEquals("0SPQKH", Base62.encode(crc.getValue(), 6));
        assertTrue(TokenFormat.isWellFormed(head + "0SPQKH"));
        assertTrue(java.util.regex.Pattern.compile("\\btka_[0-9A-Za-z]{49}\\b").matcher(" " + head + "0SPQKH.").find());
        for (String stated : java.util.List.of("`" + head + "`", "CRC32 419796809 (`0x19059749`)", "`0SPQKH` in base62",
                "`" + head + "0SPQKH`", "\\btka_[0-9A-Za-z]{49}\\b")) {
            assertTrue(doc.contains(stated), "api.md states " + stated);
        }
    }

    @Test
    void lengthIsFiftyThree() {
        assertEquals(53, TokenFormat.LENGTH, "tka_ + 43 random base62 digits + 6 checksum digits");
    }

    @Test
    void generatedTokenIsThePrefixThenFortyNineBase62Characters() {
        for (int i = 0; i < 200; i++) {
            String token = TokenFormat.generate(random);
            assertEquals(TokenFormat.LENGTH, token.length(), "length of " + token);
            assertTrue(token.startsWith("tka_"), "prefix of " + token);
            for (char c : token.substring(4).toCharArray()) {
                assertTrue(BASE62.indexOf(c) >= 0, "'" + c + "' should be a base62 digit in " + token);
            }
        }
    }

    @Test
    void generatedTokensAreAllDifferent() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(TokenFormat.generate(random)), "token " + i + " repeated an earlier one");
        }
    }

    @Test
    void generatedTokenIsWellFormed() {
        for (int i = 0; i < 1_000; i++) {
            String token = TokenFormat.generate(random);
            assertTrue(TokenFormat.isWellFormed(token), token + " should be well formed");
        }
    }

    @Test
    void tokenOfAllZeroBitsIsWellFormedAndFullLength() {
        SecureRandom zeros = new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                java.util.Arrays.fill(bytes, (byte) 0);
            }
        };
        String token = TokenFormat.generate(zeros);
        assertEquals("tka_" + "0".repeat(43), token.substring(0, 47), "the body should be left-padded with '0'");
        assertEquals(TokenFormat.LENGTH, token.length());
        assertTrue(TokenFormat.isWellFormed(token));
    }

    @Test
    void tokenOfAllOneBitsIsWellFormedAndFullLength() {
        SecureRandom ones = new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                java.util.Arrays.fill(bytes, (byte) 0xff);
            }
        };
        String token = TokenFormat.generate(ones);
        assertEquals(TokenFormat.LENGTH, token.length(), "2^256 - 1 should fit in the 43-digit body");
        assertTrue(TokenFormat.isWellFormed(token));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"tka_", "Token", " "})
    void isWellFormedIsFalseForNullEmptyAndShortStrings(String candidate) {
        assertFalse(TokenFormat.isWellFormed(candidate));
    }

    @Test
    void isWellFormedIsFalseForAWrongPrefix() {
        String token = TokenFormat.generate(random);
        assertFalse(TokenFormat.isWellFormed("tkb_" + token.substring(4)));
        assertFalse(TokenFormat.isWellFormed("TKA_" + token.substring(4)));
        assertFalse(TokenFormat.isWellFormed("xyz" + token.substring(3)));
    }

    @Test
    void isWellFormedIsFalseForOneCharacterTooManyOrTooFew() {
        String token = TokenFormat.generate(random);
        assertFalse(TokenFormat.isWellFormed(token + "0"), "one character appended");
        assertFalse(TokenFormat.isWellFormed(token.substring(0, token.length() - 1)), "last character dropped");
        assertFalse(TokenFormat.isWellFormed(token.substring(0, 4) + token.substring(5)), "first body char dropped");
    }

    @Test
    void isWellFormedIsFalseWithANonBase62CharacterAnywhereAfterThePrefix() {
        String token = TokenFormat.generate(random);
        for (int i = 4; i < token.length(); i++) {
            for (char bad : new char[] {'_', '-', '+', '/', '=', ' ', '$', 'é', '\0'}) {
                String candidate = token.substring(0, i) + bad + token.substring(i + 1);
                assertFalse(TokenFormat.isWellFormed(candidate),
                        "'" + bad + "' at position " + i + " should make the token malformed");
            }
        }
    }

    @Test
    void isWellFormedIsFalseForEverySingleCharacterChangeAtEveryPosition() {
        for (int round = 0; round < 5; round++) {
            String token = TokenFormat.generate(random);
            for (int i = 0; i < token.length(); i++) {
                for (char c : BASE62.toCharArray()) {
                    if (c == token.charAt(i)) {
                        continue;
                    }
                    String changed = token.substring(0, i) + c + token.substring(i + 1);
                    assertFalse(TokenFormat.isWellFormed(changed),
                            "changing position " + i + " of " + token + " to '" + c + "' should be detected");
                }
            }
        }
    }

    @Test
    void isWellFormedIsFalseWhenTwoAdjacentBodyCharactersAreSwapped() {
        String token = TokenFormat.generate(random);
        for (int i = 4; i < token.length() - 1; i++) {
            if (token.charAt(i) == token.charAt(i + 1)) {
                continue;
            }
            String swapped = token.substring(0, i) + token.charAt(i + 1) + token.charAt(i) + token.substring(i + 2);
            assertFalse(TokenFormat.isWellFormed(swapped), "swapping positions " + i + " and " + (i + 1));
        }
    }

    @Test
    void digestIsTheLowerCaseHexSha256OfTheToken() throws Exception {
        String token = TokenFormat.generate(random);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        String digest = TokenFormat.digest(token);
        assertEquals(java.util.HexFormat.of().formatHex(expected), digest);
        assertTrue(digest.matches("[0-9a-f]{64}"), digest + " should be 64 lower-case hex characters");
    }

    @Test
    void digestOfAKnownInputIsTheKnownSha256() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TokenFormat.digest("abc"));
    }

    @Test
    void digestsMadeOnManyThreadsAtOnceAreEachTheirTokensSha256() throws Exception {
        // The digests are clones of one prototype: none may share state with another thread's.
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            tokens.add(TokenFormat.generate(random));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> checks = new ArrayList<>();
            for (int round = 0; round < 8; round++) {
                for (String token : tokens) {
                    checks.add(pool.submit(() -> java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(token.getBytes(StandardCharsets.US_ASCII))).equals(TokenFormat.digest(token))));
                }
            }
            for (Future<Boolean> check : checks) {
                assertTrue(check.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void digestIfWellFormedIsTheDigestOfAWellFormedTokenAndEmptyForAnythingElse() {
        for (int i = 0; i < 1_000; i++) {
            String token = TokenFormat.generate(random);
            assertEquals(java.util.Optional.of(TokenFormat.digest(token)), TokenFormat.digestIfWellFormed(token));
        }
        String token = TokenFormat.generate(random);
        List<String> malformed = new ArrayList<>(java.util.Arrays.asList(null, "", "tka_", token + "0",
                token.substring(0, token.length() - 1), "tkb_" + token.substring(4)));
        for (int i = 4; i < token.length(); i++) {
            for (char c : (BASE62 + "_-é\0\u0100\u2603").toCharArray()) {
                if (c != token.charAt(i)) {
                    malformed.add(token.substring(0, i) + c + token.substring(i + 1));
                }
            }
        }
        for (String candidate : malformed) {
            assertFalse(TokenFormat.isWellFormed(candidate), candidate);
            assertEquals(java.util.Optional.empty(), TokenFormat.digestIfWellFormed(candidate), candidate);
        }
    }

    @Test
    void aCharacterOutsideLatin1IsNoBase62DigitEvenWhereItsLowByteWouldBe() {
        // U+0130 and U+0161 end in the bytes of '0' and 'a': their encoding must not be mistaken for those digits.
        String token = TokenFormat.generate(random);
        for (char c : new char[] {'\u0130', '\u0161', '\u3030'}) {
            String candidate = token.substring(0, 10) + c + token.substring(11);
            assertFalse(TokenFormat.isWellFormed(candidate), "U+" + Integer.toHexString(c));
        }
    }

    @Test
    void displayPrefixIsTheFirstTenCharacters() {
        String token = TokenFormat.generate(random);
        assertEquals(token.substring(0, 10), TokenFormat.displayPrefix(token));
        assertEquals("tka_123456", TokenFormat.displayPrefix("tka_1234567890"));
    }
}
