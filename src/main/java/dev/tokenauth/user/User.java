package dev.tokenauth.user;

/** A user of our own login. The password is held only as {@link PasswordHasher}'s stored form. */
public record User(String username, String passwordHash, boolean admin) {

    @Override
    public String toString() {
        return "User[" + username + (admin ? ", admin" : "") + "]";
    }
}
