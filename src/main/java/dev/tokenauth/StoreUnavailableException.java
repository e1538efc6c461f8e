package dev.tokenauth;

/**
 * The token or user store could not answer. Callers fail closed: the request is refused with 503, never let
 * through. The message names the operation, never a token or a password.
 */
public class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String operation, Throwable cause) {
        super("Store unavailable during " + operation, cause);
    }
}
