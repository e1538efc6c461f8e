package dev.tokenauth.user;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.log.LogText;

/**
 * The rules about users of our own login: who may log in, who is an admin, what a new user and a password must
 * look like, and which users are disabled.
 */
public final class UserService implements AccountStatus {

    private static final Logger LOG = Logger.getLogger(UserService.class.getName());

    public static final String INITIAL_ADMIN = "admin";
    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    static final int MIN_PASSWORD_LENGTH = 8;
    static final int MAX_PASSWORD_LENGTH = 1024;

    /** The outcome of {@link #create}. */
    public enum Creation { CREATED, NAME_TAKEN }

    /** Thrown when a change names a user that does not exist. */
    public static final class NoSuchUser extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public NoSuchUser(String username) {
            super("No user " + LogText.escape(username));
        }
    }

    private final UserStore store;
    private final PasswordHasher hasher;
    /** Checked against when the user is unknown, so that a wrong name costs as much time as a wrong password. */
    private final String decoyHash;

    public UserService(UserStore store, PasswordHasher hasher) {
        this.store = Objects.requireNonNull(store, "store");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.decoyHash = hasher.hash("decoy password");
    }

    /**
     * The user's name when the credentials match and the user is not disabled, else empty. A match on a hash made
     * at another iteration count is stored again at the current one (see {@link PasswordHasher#needsRehash}).
     */
    public Optional<String> authenticate(String username, String password) {
        if (username == null || password == null || password.length() > MAX_PASSWORD_LENGTH) {
            return Optional.empty();
        }
        Optional<User> user = store.find(Usernames.canonical(username));
        String stored = user.map(User::passwordHash).orElse(decoyHash);
        boolean matches = hasher.matches(password, stored);
        if (!matches || user.isEmpty() || user.get().disabled()) {
            return Optional.empty();
        }
        if (hasher.needsRehash(stored)) {
            rehash(user.get(), password);
        }
        return Optional.of(user.get().username());
    }

    private void rehash(User user, String password) {
        try {
            if (store.rehashPassword(user.username(), user.passwordHash(), hasher.hash(password))) {
                LOG.info(() -> "Password of user " + LogText.escape(user.username())
                        + " stored again at the current iteration count");
            }
        } catch (StoreUnavailableException e) {
            // The login itself succeeded; the next one tries again.
        }
    }

    /** True for an admin who is not disabled. */
    public boolean isAdmin(String username) {
        return username != null
                && store.find(Usernames.canonical(username)).map(u -> u.admin() && !u.disabled()).orElse(false);
    }

    @Override
    public boolean isDisabled(String username) {
        return username != null && store.find(Usernames.canonical(username)).map(User::disabled).orElse(false);
    }

    @Override
    public boolean allowsSession(String username, Instant loggedInAt) {
        return username == null
                || store.find(Usernames.canonical(username)).map(u -> u.allowsSessionFrom(loggedInAt)).orElse(true);
    }

    public Optional<User> find(String username) {
        return username == null ? Optional.empty() : store.find(Usernames.canonical(username));
    }

    /** Every user, by name. */
    public List<User> list() {
        return store.list();
    }

    /**
     * Disables or enables a user. Disabling alone does not touch their tokens: see
     * {@code dev.tokenauth.admin.UserAdministration}, which also revokes them.
     *
     * @return true when this changed the user, false when they already were so
     * @throws NoSuchUser when there is no such user
     */
    public boolean setDisabled(String username, boolean disabled) {
        User user = find(username).orElseThrow(() -> new NoSuchUser(username));
        if (user.disabled() == disabled) {
            return false;
        }
        if (!store.setDisabled(user.username(), disabled)) {
            throw new NoSuchUser(username);
        }
        LOG.info(() -> "User " + LogText.escape(user.username()) + (disabled ? " disabled" : " enabled"));
        return true;
    }

    /**
     * Gives a user a new password that passed {@link #problemWithPassword}. Their login sessions from before
     * {@code now} end (see {@link #allowsSession}).
     *
     * @throws NoSuchUser when there is no such user
     */
    public void setPassword(String username, String password, Instant now) {
        problemWithPassword(password).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        String name = Usernames.canonical(username);
        if (!store.setPasswordHash(name, hasher.hash(password), now)) {
            throw new NoSuchUser(username);
        }
        LOG.info(() -> "Password of user " + LogText.escape(name) + " changed");
    }

    /**
     * What is wrong with a new user's name or password, or empty when both are acceptable. Said in words fit
     * for a 400 response.
     */
    public static Optional<String> problemWith(String username, String password) {
        if (!USERNAME.matcher(username).matches()) {
            return Optional.of("Username must be 1 to 64 letters, digits or . _ @ -.");
        }
        return problemWithPassword(password);
    }

    /** What is wrong with a new password, or empty when it is acceptable. */
    public static Optional<String> problemWithPassword(String password) {
        if (password.length() < MIN_PASSWORD_LENGTH || password.length() > MAX_PASSWORD_LENGTH) {
            return Optional.of("Password must be " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH
                    + " characters.");
        }
        return Optional.empty();
    }

    /** Creates a user that passed {@link #problemWith}. */
    public Creation create(String username, String password, boolean admin) {
        problemWith(username, password).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        if (!store.insert(new User(username, hasher.hash(password), admin))) {
            return Creation.NAME_TAKEN;
        }
        LOG.info(() -> "User " + LogText.escape(username) + " created" + (admin ? " as admin" : ""));
        return Creation.CREATED;
    }

    /**
     * On a store with no users, creates the admin user {@value #INITIAL_ADMIN}: with {@code configuredPassword}
     * when given, otherwise with a generated password that is logged this once.
     */
    public void createInitialAdminIfNoUsers(String configuredPassword, SecureRandom random) {
        if (store.count() > 0) {
            return;
        }
        boolean generated = configuredPassword == null || configuredPassword.isEmpty();
        String password = generated ? generatePassword(random) : configuredPassword;
        if (create(INITIAL_ADMIN, password, true) == Creation.CREATED) {
            if (generated) {
                LOG.warning("Created the initial admin user '" + INITIAL_ADMIN + "' with the generated password: "
                        + password + "  (shown only this once; set TOKENAUTH_ADMIN_PASSWORD to choose it)");
            } else {
                LOG.info("Created the initial admin user '" + INITIAL_ADMIN + "' with the configured password");
            }
        }
    }

    private static String generatePassword(SecureRandom random) {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
