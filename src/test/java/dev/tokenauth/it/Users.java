package dev.tokenauth.it;

import java.net.URL;
import java.util.UUID;

/** Test users, made through the API by the admin, with names unique to the run. */
final class Users {

    static final String PASSWORD = "correct horse battery";

    private Users() {
    }

    /** Creates a user named {@code prefix-<random>} and returns the name. */
    static String create(URL base, String prefix) {
        return create(base, prefix, false);
    }

    /**
     * Creates an admin named {@code prefix-<random>} and returns the name: an admin of the test's own, whose tokens
     * no other test uses up (the first admin's token limit is shared by every class of a run).
     */
    static String createAdmin(URL base, String prefix) {
        return create(base, prefix, true);
    }

    private static String create(URL base, String prefix, boolean admin) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Reply reply = admin(base).postJson("api/users",
                "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\",\"admin\":" + admin + "}");
        if (reply.status() != 201) {
            throw new AssertionError("creating " + name + " answered " + reply.status() + ": " + reply.body());
        }
        return name;
    }

    /** A browser session of the admin. */
    static Api admin(URL base) {
        return Api.browser(base).login(Deployments.ADMIN, Deployments.adminPassword());
    }
}
