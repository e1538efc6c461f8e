package dev.tokenauth.token;

/** How a request names one of its user's tokens: by the token itself, or by its id. */
public sealed interface TokenRef {

    /** A token named by its plaintext; only its digest goes further. */
    record ByDigest(String digest) implements TokenRef {
    }

    record ById(long id) implements TokenRef {
    }
}
