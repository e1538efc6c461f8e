package dev.tokenauth.persistence;


import dev.tokenauth.StoreUnavailableException;

/**
 * The database refused a row because another with the same key exists: the expected loser of a race between two
 * servers (or two requests) creating the same row, which the caller settles by reading what the winner made. Not a
 * failure of the database, so not reported as one; a caller that does not expect it still fails closed (503).
 */
final class KeyConflictException extends StoreUnavailableException {

    private static final long serialVersionUID = 1L;

    /** SQL's state for a unique or primary key violation, as PostgreSQL and Derby report it. */
    private static final String UNIQUE_VIOLATION = "23505";

    KeyConflictException(String operation, Throwable cause) {
        super(operation, cause);
    }

    /** Whether {@code e} was caused by a unique or primary key violation. */
    static boolean causedBy(Throwable e) {
        return SqlStates.anyIn(e, java.util.Set.of(UNIQUE_VIOLATION));
    }
}
