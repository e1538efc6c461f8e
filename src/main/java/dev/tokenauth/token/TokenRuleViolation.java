package dev.tokenauth.token;

/** A request that the token rules refuse; its message is fit for the client. */
public final class TokenRuleViolation extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ViolationKind kind;

    public TokenRuleViolation(ViolationKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public ViolationKind kind() {
        return kind;
    }
}
