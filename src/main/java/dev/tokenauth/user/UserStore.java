package dev.tokenauth.user;

import java.util.Optional;

/** Persistence of users. Every method throws {@link dev.tokenauth.StoreUnavailableException} when the store cannot answer. */
public interface UserStore {

    Optional<User> find(String username);

    /** Stores {@code user}; false when the name is already taken. */
    boolean insert(User user);

    long count();
}
