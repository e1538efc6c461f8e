package dev.tokenauth.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.admin.UserAdministration.Refused;
import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditQuery;
import dev.tokenauth.audit.AuditStore;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.AuditType;
import dev.tokenauth.token.Actor;
import dev.tokenauth.token.TokenInfo;
import dev.tokenauth.token.TokenPolicy;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.TokenStore;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.User;
import dev.tokenauth.user.UserService;
import dev.tokenauth.user.UserStore;

class UserAdministrationTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final String FROM = "192.0.2.5";

    private final List<AuditEvent> stored = new ArrayList<>();
    private final Map<String, User> users = new HashMap<>();
    private final List<Actor> revokeAllCalls = new ArrayList<>();
    private UserService userService;
    private UserAdministration administration;

    @BeforeEach
    void setUp() {
        UserStore userStore = new UserStore() {
            @Override
            public Optional<User> find(String username) {
                return Optional.ofNullable(users.get(username));
            }

            @Override
            public List<User> list() {
                return users.values().stream().sorted((a, b) -> a.username().compareTo(b.username())).toList();
            }

            @Override
            public boolean insert(User user) {
                return users.putIfAbsent(user.username(), user) == null;
            }

            @Override
            public boolean setDisabled(String username, boolean disabled) {
                return users.computeIfPresent(username,
                        (k, u) -> new User(k, u.passwordHash(), u.admin(), disabled, u.createdAt())) != null;
            }

            @Override
            public boolean setPasswordHash(String username, String hash) {
                return users.computeIfPresent(username,
                        (k, u) -> new User(k, hash, u.admin(), u.disabled(), u.createdAt())) != null;
            }

            @Override
            public long count() {
                return users.size();
            }
        };
        userService = new UserService(userStore, new PasswordHasher(1000, new SecureRandom()));
        userService.create("root", "root-password", true);
        userService.create("alice", "alice-password", false);
        AuditTrail audit = new AuditTrail(new AuditStore() {
            @Override
            public void append(List<AuditEvent> events) {
                stored.addAll(events);
            }

            @Override
            public List<AuditEvent> query(AuditQuery query) {
                return stored;
            }
        });
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        TokenService tokens = new TokenService(new RevokeAllOnlyStore(), TokenPolicy.defaults(), audit, clock,
                new SecureRandom());
        administration = new UserAdministration(userService, tokens, audit, clock);
    }

    /** Records revokeAll calls and answers with one revoked token; nothing else is called by the administration. */
    private final class RevokeAllOnlyStore implements TokenStore {
        @Override
        public List<TokenInfo> revokeAll(String owner, Instant at, AuditEvent event) {
            revokeAllCalls.add(new Actor(event.user(), event.actingUser(), null, event.clientAddress()));
            return List.of(new TokenInfo(7, "tka_abcdef", owner, null, NOW, null, null, null, at, null));
        }

        @Override
        public Optional<TokenInfo> create(dev.tokenauth.token.NewToken token, int limit, AuditEvent event) {
            throw new AssertionError("not expected");
        }

        @Override
        public Optional<TokenInfo> findByDigest(String digest) {
            throw new AssertionError("not expected");
        }

        @Override
        public Optional<TokenInfo> revoke(String owner, dev.tokenauth.token.TokenRef ref, Instant at, AuditEvent event) {
            throw new AssertionError("not expected");
        }

        @Override
        public Rotation rotate(String owner, dev.tokenauth.token.TokenRef ref, dev.tokenauth.token.NewToken successor,
                Instant oldEndsAt, int limit, AuditEvent event) {
            throw new AssertionError("not expected");
        }

        @Override
        public List<TokenInfo> listActive(String owner, Instant now) {
            throw new AssertionError("not expected");
        }

        @Override
        public void recordLastUse(Map<Long, Instant> lastUse) {
            throw new AssertionError("not expected");
        }

        @Override
        public List<TokenInfo> noteExpired(Instant now) {
            throw new AssertionError("not expected");
        }

        @Override
        public int purgeEndedBefore(Instant cutoff) {
            throw new AssertionError("not expected");
        }
    }

    private AuditEvent lastEvent() {
        return stored.get(stored.size() - 1);
    }

    @Test
    void disablingAUserFlagsThemRevokesAllTheirTokensAsTheAdminAndIsAudited() {
        int revoked = administration.disable("root", FROM, "alice");

        assertEquals(1, revoked);
        assertTrue(userService.isDisabled("alice"));
        assertEquals(List.of(new Actor("alice", "root", null, FROM)), revokeAllCalls);
        AuditEvent disabled = lastEvent();
        assertEquals(AuditType.USER_DISABLED, disabled.type());
        assertEquals("alice", disabled.user());
        assertEquals("root", disabled.actingUser());
        assertEquals(FROM, disabled.clientAddress());
        assertEquals(NOW, disabled.at());
    }

    @Test
    void disablingAnAlreadyDisabledUserRevokesAgainButRecordsNoSecondEvent() {
        administration.disable("root", FROM, "alice");
        int events = stored.size();

        administration.disable("root", FROM, "alice");

        assertEquals(2, revokeAllCalls.size(), "tokens are revoked again");
        assertEquals(events, stored.size(), "no second USER_DISABLED");
    }

    @Test
    void anAdminCannotDisableThemselves() {
        Refused refused = assertThrows(Refused.class, () -> administration.disable("root", FROM, "root"));

        assertEquals(Refused.Kind.CONFLICT, refused.kind());
        assertFalse(userService.isDisabled("root"));
        assertEquals(List.of(), revokeAllCalls);
    }

    @Test
    void unknownUsersAreNotFoundForEveryChange() {
        assertEquals(Refused.Kind.NOT_FOUND,
                assertThrows(Refused.class, () -> administration.disable("root", FROM, "mallory")).kind());
        assertEquals(Refused.Kind.NOT_FOUND,
                assertThrows(Refused.class, () -> administration.enable("root", FROM, "mallory")).kind());
        assertEquals(Refused.Kind.NOT_FOUND, assertThrows(Refused.class,
                () -> administration.resetPassword("root", FROM, "mallory", "long enough")).kind());
        assertEquals(Refused.Kind.NOT_FOUND,
                assertThrows(Refused.class, () -> administration.startActingAs("root", FROM, "mallory")).kind());
        assertEquals(List.of(), stored, "nothing audited");
        assertEquals(List.of(), revokeAllCalls);
    }

    @Test
    void enablingIsAuditedOnlyWhenItChangesSomething() {
        administration.enable("root", FROM, "alice");
        assertEquals(List.of(), stored);

        administration.disable("root", FROM, "alice");
        administration.enable("root", FROM, "alice");

        assertFalse(userService.isDisabled("alice"));
        assertEquals(AuditType.USER_ENABLED, lastEvent().type());
    }

    @Test
    void aPasswordResetChecksThePasswordAndAuditsWithoutIt() {
        assertEquals(Refused.Kind.INVALID,
                assertThrows(Refused.class, () -> administration.resetPassword("root", FROM, "alice", "short")).kind());
        assertEquals(Optional.of("alice"), userService.authenticate("alice", "alice-password"));

        administration.resetPassword("root", FROM, "alice", "new alice password");

        assertEquals(Optional.of("alice"), userService.authenticate("alice", "new alice password"));
        assertEquals(AuditType.PASSWORD_RESET, lastEvent().type());
        assertFalse(lastEvent().describe().contains("new alice password"), lastEvent().describe());
    }

    @Test
    void actingAsAUserIsAuditedWithTheAdminAsActingUser() {
        assertEquals("alice", administration.startActingAs("root", FROM, "alice"));
        AuditEvent started = lastEvent();
        administration.stopActingAs("root", FROM, "alice");
        AuditEvent stopped = lastEvent();

        assertEquals(AuditType.ACT_AS_STARTED, started.type());
        assertEquals(AuditType.ACT_AS_STOPPED, stopped.type());
        for (AuditEvent e : List.of(started, stopped)) {
            assertEquals("alice", e.user());
            assertEquals("root", e.actingUser());
        }
    }

    @Test
    void noOneActsAsThemselvesOrAsADisabledUser() {
        assertEquals(Refused.Kind.INVALID,
                assertThrows(Refused.class, () -> administration.startActingAs("root", FROM, "root")).kind());
        administration.disable("root", FROM, "alice");

        assertEquals(Refused.Kind.CONFLICT,
                assertThrows(Refused.class, () -> administration.startActingAs("root", FROM, "alice")).kind());
    }

    @Test
    void creatingAUserChecksTheNameAndIsAudited() {
        assertEquals(Refused.Kind.INVALID, assertThrows(Refused.class,
                () -> administration.create("root", FROM, "bad name!", "long enough", false)).kind());
        assertEquals(Refused.Kind.CONFLICT, assertThrows(Refused.class,
                () -> administration.create("root", FROM, "alice", "long enough", false)).kind());

        administration.create("root", FROM, "bob", "bob-password", true);

        assertTrue(userService.isAdmin("bob"));
        assertEquals(AuditType.USER_CREATED, lastEvent().type());
        assertEquals("bob", lastEvent().user());
        assertEquals("root", lastEvent().actingUser());
    }
}
