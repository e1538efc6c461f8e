package dev.tokenauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class TokenRefusalsTest {

    private final TokenRefusals refusals = new TokenRefusals("api");

    private static RecordedResponse throttled(TokenRefusals refusals, Duration wait) throws Exception {
        RecordedResponse recorded = new RecordedResponse();
        refusals.throttled(recorded.response(), wait);
        return recorded;
    }

    @Test
    void throttledAnswersEachWaitWithItsOwnRetryAfterAndMessageAlsoWhenItsAnswerIsKept() throws Exception {
        for (long seconds : new long[] {6, 60, 6, TokenRefusals.LONGEST_KEPT_WAIT_SECONDS + 1, 1}) {
            RecordedResponse recorded = throttled(refusals, Duration.ofSeconds(seconds));

            assertEquals(List.of(429), recorded.statuses());
            assertEquals(Long.toString(seconds), recorded.headers().get("Retry-After"));
            assertEquals("no-store", recorded.headers().get("Cache-Control"));
            assertEquals("application/json;charset=UTF-8", recorded.contentType());
            assertEquals("{\"msg\":\"Too many failed token attempts from your address; try again in " + seconds
                    + " seconds.\",\"success\":false}", recorded.body());
        }
    }
}
