package dev.tokenauth.admin;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.AuditType;
import dev.tokenauth.token.Actor;
import dev.tokenauth.token.TokenInfo;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.ViolationKind;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserService;
import dev.tokenauth.user.UserService.NoSuchUser;
import dev.tokenauth.user.Usernames;

/**
 * What an admin does to other users, each step audited: create, disable (which revokes all of the user's
 * tokens at once), enable, reset a password, and act as a user. The rules about users and about tokens stay in
 * their services; this class only combines them and says who did it.
 * <p>
 * A new user's name must already be canonical (the username rule refuses spaces); the names of existing users
 * are taken in their {@linkplain Usernames canonical} form before any rule: the "not yourself" checks, the
 * revocation of a disabled user's tokens and the audit all see the user's one name.
 * <p>
 * Every method takes the admin as an {@link Actor} (their name, the token their request came with, if any, and
 * their address); callers have checked that they are an admin.
 */
public final class UserAdministration {

    /** Why an admin's request was refused, in words fit for the response. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final ViolationKind kind;

        Refused(ViolationKind kind, String message) {
            super(message);
            this.kind = kind;
        }

        public ViolationKind kind() {
            return kind;
        }
    }

    private final UserService users;
    private final TokenService tokens;
    private final AuditTrail audit;
    private final Clock clock;

    public UserAdministration(UserService users, TokenService tokens, AuditTrail audit, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public List<User> list() {
        return users.list();
    }

    /** Creates a user. */
    public void create(Actor admin, String username, String password, boolean asAdmin) {
        UserService.problemWith(username, password).ifPresent(p -> {
            throw new Refused(ViolationKind.INVALID, p);
        });
        if (users.create(username, password, asAdmin) == UserService.Creation.NAME_TAKEN) {
            throw new Refused(ViolationKind.CONFLICT, "Username already taken.");
        }
        record(AuditType.USER_CREATED, username, admin, asAdmin ? "as admin" : null);
    }

    /**
     * Disables a user and revokes all their tokens. Their login sessions stop working with their next request.
     *
     * @return how many tokens were revoked
     */
    public int disable(Actor admin, String name) {
        String username = Usernames.canonical(name);
        if (username.equals(admin.user())) {
            throw new Refused(ViolationKind.CONFLICT, "You cannot disable yourself.");
        }
        boolean changed = setDisabled(username, true);
        List<TokenInfo> revoked;
        try {
            if (changed) {
                record(AuditType.USER_DISABLED, username, admin, null);
            }
        } finally {
            // Even when the audit record failed: a disabled user keeps no working token. And also when already
            // disabled: a token that slipped in before the flag was seen goes now.
            revoked = tokens.revokeAll(onBehalfOf(username, admin), "user disabled");
        }
        return revoked.size();
    }

    /**
     * Lets a disabled user log in again. Their revoked tokens stay revoked, and so does any token created in the
     * moment they were disabled, which has not worked since: it is revoked before the user is enabled.
     */
    public void enable(Actor admin, String name) {
        String username = Usernames.canonical(name);
        if (users.isDisabled(username)) {
            tokens.revokeAll(onBehalfOf(username, admin), "created while being disabled");
        }
        if (setDisabled(username, false)) {
            record(AuditType.USER_ENABLED, username, admin, null);
        }
    }

    /** Gives a user a new password. */
    public void resetPassword(Actor admin, String name, String password) {
        String username = Usernames.canonical(name);
        UserService.problemWithPassword(password).ifPresent(p -> {
            throw new Refused(ViolationKind.INVALID, p);
        });
        try {
            users.setPassword(username, password, clock.instant());
        } catch (NoSuchUser e) {
            throw userNotFound();
        }
        record(AuditType.PASSWORD_RESET, username, admin, null);
    }

    /**
     * Checks that {@code admin} may act as {@code username} and records that they start to.
     *
     * @return the user acted for
     */
    public String startActingAs(Actor admin, String name) {
        String username = Usernames.canonical(name);
        if (username.equals(admin.user())) {
            throw new Refused(ViolationKind.INVALID, "You cannot act as yourself.");
        }
        User user = users.find(username).orElseThrow(UserAdministration::userNotFound);
        if (user.admin()) {
            // Acting as another admin would hold that admin's tokens and, through them, more than one's own rights.
            throw new Refused(ViolationKind.FORBIDDEN, "You cannot act as another admin.");
        }
        if (user.disabled()) {
            throw new Refused(ViolationKind.CONFLICT, "User is disabled.");
        }
        record(AuditType.ACT_AS_STARTED, user.username(), admin, null);
        return user.username();
    }

    /** Records that {@code admin} stopped acting as {@code username}. */
    public void stopActingAs(Actor admin, String username) {
        record(AuditType.ACT_AS_STOPPED, username, admin, null);
    }

    /** Records that an admin's acting for a user ended with the admin's logout. */
    public void actingEndedByLogout(Actor admin, String username) {
        record(AuditType.ACT_AS_STOPPED, username, admin, "logout");
    }

    private boolean setDisabled(String username, boolean disabled) {
        try {
            return users.setDisabled(username, disabled);
        } catch (NoSuchUser e) {
            throw userNotFound();
        }
    }

    /** The admin acting on {@code username}'s tokens, by the admin's own credential. */
    private static Actor onBehalfOf(String username, Actor admin) {
        return new Actor(username, admin.user(), admin.viaTokenId(), admin.clientAddress());
    }

    /** Stores the event with the token the admin's request came with, if any, so that it is traced to it. */
    private void record(AuditType type, String user, Actor admin, String detail) {
        audit.recordNow(AuditEvent.of(clock.instant(), type, user, admin.user(), admin.clientAddress(), detail)
                .withToken(admin.viaTokenId(), null));
    }

    private static Refused userNotFound() {
        return new Refused(ViolationKind.NOT_FOUND, "User not found.");
    }
}
