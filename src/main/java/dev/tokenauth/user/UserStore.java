package dev.tokenauth.user;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of users. Every method throws {@link dev.tokenauth.StoreUnavailableException} when the store cannot answer. */
public interface UserStore {

    Optional<User> find(String username);

    /** Every user, by name. */
    List<User> list();

    /** Stores {@code user}; false when the name is already taken. */
    boolean insert(User user);

    /** Sets whether the user is disabled; false when there is no such user. */
    boolean setDisabled(String username, boolean disabled);

    /** Replaces the user's stored password hash, noting when; false when there is no such user. */
    boolean setPasswordHash(String username, String passwordHash, Instant changedAt);

    /**
     * Stores the same password hashed anew (at another cost), when the stored hash is still {@code expectedHash}:
     * not a change of password, so sessions stay; false when the user is gone or their password changed meanwhile.
     */
    boolean rehashPassword(String username, String expectedHash, String newHash);

    long count();
}
