package dev.tokenauth.persistence;

/**
 * The database is one this version must not start on (a schema newer than this version's, tables no version could
 * have left): the message says what was found and what to do, and nothing was changed. Logged as that message
 * alone, without a stack trace: it is an operator's problem, not a program error.
 */
public class DatabaseRefused extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public DatabaseRefused(String message) {
        super(message);
    }
}
