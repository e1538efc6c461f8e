package dev.tokenauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenServiceTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

    private InMemoryTokenStore store;
    private TokenService service;

    @BeforeEach
    void setUp() {
        store = new InMemoryTokenStore();
        service = new TokenService(store, Clock.fixed(NOW, ZoneOffset.UTC), new SecureRandom());
    }

    @Test
    void issueStoresTheDigestAndDisplayPrefixButNeverThePlaintext() {
        IssuedToken issued = service.issue("alice", null);
        String plaintext = issued.plaintext();

        assertEquals(1, store.rows.size(), "one token should be stored");
        NewToken stored = store.rows.get(0).token;
        assertEquals(TokenFormat.digest(plaintext), stored.digest());
        assertEquals(plaintext.substring(0, 10), stored.displayPrefix());
        assertEquals("alice", stored.owner());
        for (Object field : new Object[] {stored.digest(), stored.displayPrefix(), stored.owner(),
                stored.createdAt(), stored.createdByTokenId()}) {
            assertFalse(String.valueOf(field).contains(plaintext), "a stored field holds the plaintext: " + field);
            // The body of the token (after its 10 displayed characters) must not appear either.
            assertFalse(String.valueOf(field).contains(plaintext.substring(10)),
                    "a stored field holds the secret part of the token: " + field);
        }
        assertFalse(stored.toString().contains(plaintext.substring(10)), "the stored record shows the secret");
    }

    @Test
    void issueReturnsAWellFormedTokenThatAuthenticatesAsItsOwner() {
        IssuedToken issued = service.issue("alice", null);

        assertTrue(TokenFormat.isWellFormed(issued.plaintext()), issued.plaintext() + " should be well formed");
        assertEquals(Optional.of(new AuthenticatedToken(issued.info().id(), "alice")),
                service.authenticate(issued.plaintext()));
    }

    @Test
    void issueReturnsInfoWithTheStoreIdOwnerPrefixAndTheClocksTime() {
        IssuedToken issued = service.issue("alice", null);

        assertEquals(new TokenInfo(1, issued.plaintext().substring(0, 10), "alice", NOW, null), issued.info());
        assertEquals(NOW, store.rows.get(0).token.createdAt());
    }

    @Test
    void issueFromASessionRecordsNoCreatingToken() {
        IssuedToken issued = service.issue("alice", null);

        assertNull(store.rows.get(0).token.createdByTokenId());
        assertTrue(issued.info().createdBySession());
    }

    @Test
    void issueByATokenRecordsThatToken() {
        IssuedToken first = service.issue("alice", null);
        IssuedToken second = service.issue("alice", first.info().id());

        assertEquals(first.info().id(), store.rows.get(1).token.createdByTokenId());
        assertEquals(first.info().id(), second.info().createdByTokenId());
        assertFalse(second.info().createdBySession());
    }

    @Test
    void issueGivesEveryTokenADifferentPlaintextAndDigest() {
        IssuedToken a = service.issue("alice", null);
        IssuedToken b = service.issue("alice", null);

        assertNotEquals(a.plaintext(), b.plaintext());
        assertNotEquals(store.rows.get(0).token.digest(), store.rows.get(1).token.digest());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "\t"})
    void issueWithoutAnOwnerThrowsAndStoresNothing(String owner) {
        assertThrows(IllegalArgumentException.class, () -> service.issue(owner, null));
        assertEquals(0, store.calls, "the store should never be called");
    }

    @Test
    void issuedTokenToStringDoesNotShowThePlaintext() {
        IssuedToken issued = service.issue("alice", null);

        String shown = issued.toString();
        assertFalse(shown.contains(issued.plaintext()), "toString shows the token: " + shown);
        assertFalse(shown.contains(issued.plaintext().substring(10)), "toString shows the secret part: " + shown);
        assertEquals("IssuedToken[id=1, prefix=" + issued.plaintext().substring(0, 10) + "]", shown);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"tka_", "Token abc", "tka_0000000000000000000000000000000000000000000000000000"})
    void authenticateOfMalformedInputIsEmptyAndNeverCallsTheStore(String presented) {
        assertEquals(Optional.empty(), service.authenticate(presented));
        assertEquals(0, store.calls, "the store should never be called for a malformed token");
    }

    @Test
    void authenticateOfATokenWithOneCharacterChangedIsEmptyAndNeverCallsTheStore() {
        String plaintext = service.issue("alice", null).plaintext();
        int callsAfterIssue = store.calls;
        char last = plaintext.charAt(plaintext.length() - 1);
        String typo = plaintext.substring(0, plaintext.length() - 1) + (last == 'a' ? 'b' : 'a');

        assertEquals(Optional.empty(), service.authenticate(typo));
        assertEquals(callsAfterIssue, store.calls, "a token with a bad checksum should not reach the store");
    }

    @Test
    void authenticateOfAWellFormedUnknownTokenAsksTheStoreOnceAndIsEmpty() {
        String unknown = TokenFormat.generate(new SecureRandom());

        assertEquals(Optional.empty(), service.authenticate(unknown));
        assertEquals(1, store.calls);
    }

    @Test
    void revokeByTheOwnerRevokesAndTheTokenNoLongerAuthenticates() {
        IssuedToken issued = service.issue("alice", null);

        assertTrue(service.revoke("alice", issued.plaintext()));
        assertEquals(NOW, store.rows.get(0).revokedAt);
        assertEquals(Optional.empty(), service.authenticate(issued.plaintext()));
    }

    @Test
    void revokeByAnotherOwnerIsFalseAndLeavesTheTokenActive() {
        IssuedToken issued = service.issue("alice", null);

        assertFalse(service.revoke("bob", issued.plaintext()), "bob should not revoke alice's token");
        assertNull(store.rows.get(0).revokedAt, "alice's token should remain active");
        assertEquals(Optional.of(new AuthenticatedToken(issued.info().id(), "alice")),
                service.authenticate(issued.plaintext()));
    }

    @Test
    void revokeTwiceIsFalseTheSecondTime() {
        IssuedToken issued = service.issue("alice", null);

        assertTrue(service.revoke("alice", issued.plaintext()));
        assertFalse(service.revoke("alice", issued.plaintext()), "an already revoked token cannot be revoked again");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"tka_", "not a token"})
    void revokeOfMalformedInputIsFalseAndNeverCallsTheStore(String presented) {
        assertFalse(service.revoke("alice", presented));
        assertEquals(0, store.calls, "the store should never be called for a malformed token");
    }

    @Test
    void revokeWithoutAnOwnerThrowsAndNeverCallsTheStore() {
        String token = TokenFormat.generate(new SecureRandom());
        assertThrows(IllegalArgumentException.class, () -> service.revoke(" ", token));
        assertEquals(0, store.calls);
    }

    @Test
    void revokeLeavesTheOwnersOtherTokensActive() {
        IssuedToken kept = service.issue("alice", null);
        IssuedToken revoked = service.issue("alice", null);

        assertTrue(service.revoke("alice", revoked.plaintext()));
        assertEquals(List.of(kept.info()), service.list("alice"), "other tokens should remain");
        assertTrue(service.authenticate(kept.plaintext()).isPresent(), "the other token should still authenticate");
    }

    @Test
    void listReturnsOnlyTheOwnersActiveTokensOldestFirst() {
        IssuedToken a1 = service.issue("alice", null);
        IssuedToken b1 = service.issue("bob", null);
        IssuedToken a2 = service.issue("alice", a1.info().id());
        IssuedToken a3 = service.issue("alice", null);
        service.revoke("alice", a2.plaintext());

        assertEquals(List.of(a1.info(), a3.info()), service.list("alice"));
        assertEquals(List.of(b1.info()), service.list("bob"));
        assertEquals(List.of(), service.list("carol"));
    }

    @Test
    void constructorRefusesMissingCollaborators() {
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        assertThrows(NullPointerException.class, () -> new TokenService(null, clock, random));
        assertThrows(NullPointerException.class, () -> new TokenService(store, null, random));
        assertThrows(NullPointerException.class, () -> new TokenService(store, clock, null));
    }
}
