package dev.tokenauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class TokenNoticesTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final Duration MS = Duration.ofMillis(1);

    private static TokenInfo token(Instant createdAt, Instant expiresAt, Instant lastUsedAt) {
        return new TokenInfo(1, "tka_abc", "alice", null, createdAt, null, expiresAt, lastUsedAt, null, null, null);
    }

    @Test
    void aTokenExpiringWithinSevenDaysIsExpiringSoonAndOneExpiringInSevenIsNot() {
        Instant seven = NOW.plus(Duration.ofDays(7));

        assertEquals(List.of(TokenNotices.EXPIRING_SOON), TokenNotices.of(token(NOW, seven.minus(MS), NOW), NOW));
        assertEquals(List.of(), TokenNotices.of(token(NOW, seven, NOW), NOW));
        assertEquals(List.of(), TokenNotices.of(token(NOW, null, NOW), NOW));
    }

    @Test
    void aTokenUnusedForNinetyDaysOrNeverUsedAndMadeThatLongAgoIsUnused() {
        Instant ninety = NOW.minus(Duration.ofDays(90));

        assertEquals(List.of(TokenNotices.UNUSED), TokenNotices.of(token(ninety.minusSeconds(5), null, ninety), NOW));
        assertEquals(List.of(), TokenNotices.of(token(ninety.minusSeconds(5), null, ninety.plus(MS)), NOW));
        assertEquals(List.of(TokenNotices.UNUSED), TokenNotices.of(token(ninety, null, null), NOW));
        assertEquals(List.of(), TokenNotices.of(token(ninety.plus(MS), null, null), NOW));
    }

    @Test
    void bothNoticesComeInOrder() {
        assertEquals(List.of(TokenNotices.EXPIRING_SOON, TokenNotices.UNUSED),
                TokenNotices.of(token(NOW.minus(Duration.ofDays(100)), NOW.plusSeconds(60), null), NOW));
    }

    @Test
    void expiresInDaysCountsWholeDaysLeftRoundedDown() {
        assertEquals(6L, TokenNotices.expiresInDays(token(NOW, NOW.plus(Duration.ofDays(7)).minus(MS), null), NOW));
        assertEquals(7L, TokenNotices.expiresInDays(token(NOW, NOW.plus(Duration.ofDays(7)), null), NOW));
        assertEquals(0L, TokenNotices.expiresInDays(token(NOW, NOW.plusSeconds(5), null), NOW));
        assertNull(TokenNotices.expiresInDays(token(NOW, null, null), NOW));
    }
}
