package dev.tokenauth.token;

/** A request that the token rules refuse; its message is fit for the client. */
public final class TokenRuleViolation extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why, in terms a client can act on. */
    public enum Kind {
        /** The request itself is wrong (a lifetime over the maximum, a bad label). */
        INVALID,
        /** No such active token of the user's. */
        NOT_FOUND,
        /** The user has as many active tokens as allowed. */
        LIMIT_REACHED,
        /** The token is in a state that forbids this (already rotated). */
        CONFLICT,
        /** The credential of the request may not do this (a token in its rotation grace period minting). */
        FORBIDDEN
    }

    private final Kind kind;

    public TokenRuleViolation(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
