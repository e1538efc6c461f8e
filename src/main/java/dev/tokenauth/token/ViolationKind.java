package dev.tokenauth.token;

/**
 * Why a request was refused by a rule, in terms a client can act on: the token rules' ({@link TokenRuleViolation})
 * and the user administration's. Each kind has one response status.
 */
public enum ViolationKind {
    /** The request itself is wrong (a lifetime over the maximum, a bad label, a bad password). */
    INVALID,
    /** No such thing of the caller's: an active token, a user. */
    NOT_FOUND,
    /** The user has as many active tokens as allowed. */
    LIMIT_REACHED,
    /** The thing is in a state that forbids this (a token already rotated, a name taken, a user disabled). */
    CONFLICT,
    /** The caller may not do this (a token in its rotation grace period minting, acting as another admin). */
    FORBIDDEN,
    /** The token presented no longer works, and the answer must say no more than that (a replaced token reused). */
    INVALID_TOKEN
}
