package dev.tokenauth.user;

import java.time.Instant;

/**
 * Whether a logged-in user may still be served. A login session outlives the moment it was granted, so each
 * request that rides on one asks again: disabling a user, or replacing their password, ends their sessions.
 */
@FunctionalInterface
public interface AccountStatus {


    /** Lets everyone in: for applications whose users are all the container's. */
    AccountStatus ALL_ENABLED = username -> false;

    /**
     * True when {@code username} was disabled. Users this application does not know (a container's realm
     * users) are not disabled.
     *
     * @throws dev.tokenauth.StoreUnavailableException when the store cannot answer
     */
    boolean isDisabled(String username);

    /**
     * True when a session that logged {@code username} in at {@code loggedInAt} may still be served: the user is
     * not disabled and their password was not replaced since. {@code loggedInAt} is null when the container, not
     * this application, logged the user in.
     *
     * @throws dev.tokenauth.StoreUnavailableException when the store cannot answer
     */
    default boolean allowsSession(String username, Instant loggedInAt) {
        return !isDisabled(username);
    }
}
