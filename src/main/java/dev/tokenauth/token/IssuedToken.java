package dev.tokenauth.token;

/**
 * A token just created: the only object that ever holds its plaintext, meant to be written into the one
 * response that creates it and then dropped.
 */
public record IssuedToken(String plaintext, TokenInfo info) {

    /** Redacted, so that a log line or debugger view of this object never shows the secret. */
    @Override
    public String toString() {
        return "IssuedToken[id=" + info.id() + ", prefix=" + info.displayPrefix() + "]";
    }
}
