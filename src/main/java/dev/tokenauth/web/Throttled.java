package dev.tokenauth.web;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.http.HttpServletResponse;

/** The answer to a throttled request: 429 with {@code Retry-After} in whole seconds, and a JSON (or page) body. */
public final class Throttled {

    public static final int STATUS = 429;

    /** Writes the answer as a page instead of JSON. */
    public interface Page {
        void write(String msg) throws IOException;
    }

    private Throttled() {
    }

    /** Answers with JSON, or with {@code page} when it is not null. */
    public static void answer(HttpServletResponse response, Duration wait, String msg, Page page)
            throws IOException {
        retryAfter(response, wait.toSeconds());
        if (page != null) {
            page.write(msg);
            return;
        }
        JsonResponses.failure(response, STATUS, msg);
    }

    /** The {@code Retry-After} header of a throttled answer, in whole seconds. */
    static void retryAfter(HttpServletResponse response, long seconds) {
        response.setHeader("Retry-After", Long.toString(seconds));
    }
}
