package dev.tokenauth;

/**
 * What an audit event counts as, from a fixed set that an enum names: why a token was refused
 * ({@code token.RefusalReason}), what a throttle locked ({@code throttle.Lockout}). The event carries it so that
 * whoever observes the audit trail (the metrics) tells events apart by type, never by reading their text.
 * Defined here, below the packages that make and read such events, so that none of them depends on another for it.
 */
public interface EventKind {

    /** The value a metric counts the event under: fixed, short, never client data. */
    String tag();
}
