package dev.tokenauth.web;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an {@code Authorization} header into the credentials it presents, or refuses it. The scheme is
 * matched case-insensitively (RFC 7235); the credentials must be a single token68 and nothing else.
 */
public final class AuthorizationHeaderParser {

    public static final String TOKEN_SCHEME = "Token";
    public static final String BEARER_SCHEME = "Bearer";
    /** Far above any token of ours; refuses absurd headers before any pattern work. */
    static final int MAX_LENGTH = 512;
    private static final Pattern SCHEME_AND_CREDENTIALS =
            Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+) +([A-Za-z0-9._~+/-]+=*)");

    private final boolean allowBearer;

    public AuthorizationHeaderParser(boolean allowBearer) {
        this.allowBearer = allowBearer;
    }

    public boolean allowsBearer() {
        return allowBearer;
    }

    /** The credentials of a {@code Token} (or, when allowed, {@code Bearer}) header; empty for anything else. */
    public Optional<String> parse(String header) {
        if (header == null || header.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher m = SCHEME_AND_CREDENTIALS.matcher(header.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String scheme = m.group(1);
        boolean accepted = scheme.equalsIgnoreCase(TOKEN_SCHEME) || (allowBearer && scheme.equalsIgnoreCase(BEARER_SCHEME));
        return accepted ? Optional.of(m.group(2)) : Optional.empty();
    }
}
