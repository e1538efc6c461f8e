package dev.tokenauth.user;

import java.time.Instant;

/**
 * A user of our own login. The password is held only as {@link PasswordHasher}'s stored form.
 *
 * @param disabled a disabled user cannot log in, and their sessions and tokens stop working
 * @param createdAt when the user was made; null for users not yet stored
 * @param passwordChangedAt when the password was last replaced, or null; sessions logged in before it end
 */
public record User(String username, String passwordHash, boolean admin, boolean disabled, Instant createdAt,
        Instant passwordChangedAt) {

    public User(String username, String passwordHash, boolean admin) {
        this(username, passwordHash, admin, false, null, null);
    }

    /**
     * True when a session that logged this user in at {@code loggedInAt} (null: the container logged them in,
     * at a time we do not know) may still be served.
     */
    public boolean allowsSessionFrom(Instant loggedInAt) {
        return !disabled && (loggedInAt == null || passwordChangedAt == null || !passwordChangedAt.isAfter(loggedInAt));
    }

    @Override
    public String toString() {
        return "User[" + username + (admin ? ", admin" : "") + (disabled ? ", disabled" : "") + "]";
    }
}
