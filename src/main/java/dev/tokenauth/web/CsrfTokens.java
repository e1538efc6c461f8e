package dev.tokenauth.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import dev.tokenauth.token.NonBlockingRandom;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * The anti-CSRF token of a login session (the synchronizer token pattern): random, kept in the session, given
 * to the session's own pages by {@code GET /api/session}, and sent back by them in the {@value #HEADER} header
 * of every state-changing call. Another site can make a browser send the session cookie, but cannot read
 * this token, so cannot send it.
 */
public final class CsrfTokens {

    public static final String HEADER = "X-CSRF-Token";
    static final String ATTRIBUTE = CsrfTokens.class.getName();
    private static final SecureRandom RANDOM = NonBlockingRandom.create();

    private CsrfTokens() {
    }

    /** The session's token, made on first use. */
    public static String of(HttpSession session) {
        String token = (String) session.getAttribute(ATTRIBUTE);
        if (token == null) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            session.setAttribute(ATTRIBUTE, token);
        }
        return token;
    }

    /** True when the request's {@value #HEADER} header holds its session's token; compared in constant time. */
    public static boolean matches(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Optional<String> expected = Optional.ofNullable(session == null ? null : (String) session.getAttribute(ATTRIBUTE));
        String sent = request.getHeader(HEADER);
        return expected.isPresent() && sent != null && MessageDigest.isEqual(
                expected.get().getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
    }
}
