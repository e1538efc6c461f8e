package dev.tokenauth.user;

/**
 * The one form of a user's name that every rule, throttle, cache and query sees. Derby compares {@code 'carol '}
 * equal to {@code 'carol'} (SQL pads the shorter value with spaces) while Java compares exactly, so a name with
 * surrounding spaces was one account for the database and another for the code (its own login allowance, an
 * admin's "not yourself" check, the cache's forgetting by owner). A name is therefore stripped of surrounding
 * whitespace wherever it comes in (a login form, an admin's request, a container's principal), on every
 * database alike.
 */
public final class Usernames {

    private Usernames() {
    }

    /** {@code name} without surrounding whitespace; null for null. */
    public static String canonical(String name) {
        return name == null ? null : name.strip();
    }
}
