package dev.tokenauth.token;

import java.util.Set;

/** A token that authenticated a request: its id (never its secret), its owner and its scopes. */
public record AuthenticatedToken(long id, String owner, Set<String> scopes) {
}
