package dev.tokenauth.user;

/**
 * Whether a logged-in user may still be served. A login session outlives the moment it was granted, so each
 * request that rides on one asks again: disabling a user ends their sessions at once.
 */
@FunctionalInterface
public interface AccountStatus {

    /** The servlet-context attribute that holds the {@link AccountStatus}, when the application provides one. */
    String ATTRIBUTE = AccountStatus.class.getName();

    /** Lets everyone in: for applications whose users are all the container's. */
    AccountStatus ALL_ENABLED = username -> false;

    /**
     * True when {@code username} was disabled. Users this application does not know (a container's realm
     * users) are not disabled.
     *
     * @throws dev.tokenauth.StoreUnavailableException when the store cannot answer
     */
    boolean isDisabled(String username);
}
