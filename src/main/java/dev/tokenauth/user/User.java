package dev.tokenauth.user;

import java.time.Instant;

/**
 * A user of our own login. The password is held only as {@link PasswordHasher}'s stored form.
 *
 * @param disabled a disabled user cannot log in, and their sessions and tokens stop working
 * @param createdAt when the user was made; null for users not yet stored
 */
public record User(String username, String passwordHash, boolean admin, boolean disabled, Instant createdAt) {

    public User(String username, String passwordHash, boolean admin) {
        this(username, passwordHash, admin, false, null);
    }

    @Override
    public String toString() {
        return "User[" + username + (admin ? ", admin" : "") + (disabled ? ", disabled" : "") + "]";
    }
}
