package dev.tokenauth.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.token.TokenServiceFixture;
import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.admin.UserAdministration.Refused;
import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditQuery;
import dev.tokenauth.audit.AuditStore;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.AuditType;
import dev.tokenauth.audit.RecordingAuditStore;
import dev.tokenauth.token.Actor;
import dev.tokenauth.token.InMemoryTokenStore;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.ViolationKind;
import dev.tokenauth.user.InMemoryUserStore;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.UserService;

class UserAdministrationTest {

    private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    private static final String FROM = "192.0.2.5";
    private static final Actor ROOT = Actor.self("root", null, FROM);

    // The token store sees the users' disabled flag, as the users table is there for the real one.
    private final InMemoryTokenStore tokenStore = new InMemoryTokenStore(owner -> this.userService.isDisabled(owner));
    private final RecordingAuditStore auditStore = new RecordingAuditStore();
    private UserService userService;
    private TokenService tokens;
    private UserAdministration administration;

    @BeforeEach
    void setUp() {
        userService = new UserService(new InMemoryUserStore(), new PasswordHasher(1000, new SecureRandom()));
        userService.create("root", "root-password", true);
        userService.create("alice", "alice-password", false);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        AuditTrail audit = new AuditTrail(auditStore);
        tokens = TokenServiceFixture.on(tokenStore).audit(audit).clock(clock).build();
        administration = new UserAdministration(userService, tokens, audit, clock);
    }

    private String issueFor(String user) {
        return tokens.issue(Actor.self(user, null, FROM), null, null).plaintext();
    }

    private boolean works(String token) {
        return tokens.authenticate(token, FROM).isPresent();
    }

    private List<AuditEvent> stored() {
        return auditStore.stored();
    }

    private AuditEvent lastEvent() {
        return stored().get(stored().size() - 1);
    }

    @Test
    void disablingAUserFlagsThemRevokesAllTheirTokensAsTheAdminAndIsAudited() {
        String first = issueFor("alice");
        String second = issueFor("alice");
        String roots = issueFor("root");

        int revoked = administration.disable(ROOT, "alice");

        assertEquals(2, revoked);
        assertTrue(userService.isDisabled("alice"));
        assertFalse(works(first));
        assertFalse(works(second));
        assertTrue(works(roots), "other users' tokens should remain");
        List<AuditEvent> revocations = tokenStore.events().stream()
                .filter(e -> e.type() == AuditType.TOKEN_REVOKED).toList();
        assertEquals(2, revocations.size());
        assertTrue(revocations.stream().allMatch(e -> "root".equals(e.actingUser()) && "alice".equals(e.user())
                && "user disabled".equals(e.detail())), revocations.toString());
        AuditEvent disabled = lastEvent();
        assertEquals(AuditType.USER_DISABLED, disabled.type());
        assertEquals("alice", disabled.user());
        assertEquals("root", disabled.actingUser());
        assertEquals(FROM, disabled.clientAddress());
        assertEquals(NOW, disabled.at());
    }

    @Test
    void disablingAnAlreadyDisabledUserRevokesWhatSlippedInButRecordsNoSecondEvent() {
        administration.disable(ROOT, "alice");
        int events = stored().size();
        String slippedIn = issueFor("alice");
        assertFalse(works(slippedIn), "a disabled user's token never works, even one that slipped in");

        assertEquals(1, administration.disable(ROOT, "alice"));

        assertEquals(events, stored().size(), "no second USER_DISABLED");
    }

    @Test
    void enablingRevokesATokenThatSlippedInWhileTheUserWasBeingDisabled() {
        administration.disable(ROOT, "alice");
        String slippedIn = issueFor("alice");

        administration.enable(ROOT, "alice");

        assertFalse(works(slippedIn), "it stays dead once the user is enabled again");
        String fresh = issueFor("alice");
        assertTrue(works(fresh), "new tokens work");
    }

    @Test
    void aDisabledUsersTokensAreRevokedEvenWhenTheAuditRecordFails() {
        String token = issueFor("alice");
        AuditStore failing = new AuditStore() {
            @Override
            public List<Long> append(List<AuditEvent> events, Map<Long, AuditEvent.Occurrences> more) {
                throw new StoreUnavailableException("audit append", null);
            }

            @Override
            public List<AuditEvent> query(AuditQuery query) {
                return List.of();
            }
        };
        UserAdministration failingAudit = new UserAdministration(userService, tokens, new AuditTrail(failing),
                Clock.fixed(NOW, ZoneOffset.UTC));

        assertThrows(StoreUnavailableException.class, () -> failingAudit.disable(ROOT, "alice"));

        assertTrue(userService.isDisabled("alice"));
        assertFalse(works(token));
    }

    @Test
    void anAdminCannotDisableThemselves() {
        String roots = issueFor("root");
        Refused refused = assertThrows(Refused.class, () -> administration.disable(ROOT, "root"));

        assertEquals(ViolationKind.CONFLICT, refused.kind());
        assertFalse(userService.isDisabled("root"));
        assertTrue(works(roots));
    }

    @Test
    void unknownUsersAreNotFoundForEveryChange() {
        assertEquals(ViolationKind.NOT_FOUND,
                assertThrows(Refused.class, () -> administration.disable(ROOT, "mallory")).kind());
        assertEquals(ViolationKind.NOT_FOUND,
                assertThrows(Refused.class, () -> administration.enable(ROOT, "mallory")).kind());
        assertEquals(ViolationKind.NOT_FOUND, assertThrows(Refused.class,
                () -> administration.resetPassword(ROOT, "mallory", "long enough")).kind());
        assertEquals(ViolationKind.NOT_FOUND,
                assertThrows(Refused.class, () -> administration.startActingAs(ROOT, "mallory")).kind());
        assertEquals(List.of(), stored(), "nothing audited");
        assertEquals(List.of(), tokenStore.events(), "no token touched");
    }

    @Test
    void enablingIsAuditedOnlyWhenItChangesSomething() {
        administration.enable(ROOT, "alice");
        assertEquals(List.of(), stored());

        administration.disable(ROOT, "alice");
        administration.enable(ROOT, "alice");

        assertFalse(userService.isDisabled("alice"));
        assertEquals(AuditType.USER_ENABLED, lastEvent().type());
    }

    @Test
    void aPasswordResetChecksThePasswordAndAuditsWithoutIt() {
        assertEquals(ViolationKind.INVALID,
                assertThrows(Refused.class, () -> administration.resetPassword(ROOT, "alice", "short")).kind());
        assertEquals(Optional.of("alice"), userService.authenticate("alice", "alice-password"));

        administration.resetPassword(ROOT, "alice", "new alice password");

        assertEquals(Optional.of("alice"), userService.authenticate("alice", "new alice password"));
        assertEquals(AuditType.PASSWORD_RESET, lastEvent().type());
        assertFalse(lastEvent().describe().contains("new alice password"), lastEvent().describe());
    }

    @Test
    void actingAsAUserIsAuditedWithTheAdminAsActingUser() {
        assertEquals("alice", administration.startActingAs(ROOT, "alice"));
        AuditEvent started = lastEvent();
        administration.stopActingAs(ROOT, "alice");
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
        assertEquals(ViolationKind.INVALID,
                assertThrows(Refused.class, () -> administration.startActingAs(ROOT, "root")).kind());
        administration.disable(ROOT, "alice");

        assertEquals(ViolationKind.CONFLICT,
                assertThrows(Refused.class, () -> administration.startActingAs(ROOT, "alice")).kind());
    }

    @Test
    void creatingAUserChecksTheNameAndIsAudited() {
        assertEquals(ViolationKind.INVALID, assertThrows(Refused.class,
                () -> administration.create(ROOT, "bad name!", "long enough", false)).kind());
        assertEquals(ViolationKind.CONFLICT, assertThrows(Refused.class,
                () -> administration.create(ROOT, "alice", "long enough", false)).kind());

        administration.create(ROOT, "bob", "bob-password", true);

        assertTrue(userService.isAdmin("bob"));
        assertEquals(AuditType.USER_CREATED, lastEvent().type());
        assertEquals("bob", lastEvent().user());
        assertEquals("root", lastEvent().actingUser());
    }

    @Test
    void anAdminCannotDisableThemselvesByANameWithSurroundingSpaces() {
        UserAdministration.Refused refused = assertThrows(UserAdministration.Refused.class,
                () -> administration.disable(ROOT, "root "));

        assertEquals("You cannot disable yourself.", refused.getMessage());
        assertFalse(userService.isDisabled("root"));
    }

    @Test
    void disablingANameWithSurroundingSpacesDisablesThatUserRevokesTheirTokensAndAuditsTheirName() {
        String token = issueFor("alice");

        assertEquals(1, administration.disable(ROOT, " alice "));

        assertTrue(userService.isDisabled("alice"));
        assertFalse(works(token));
        assertTrue(stored().stream().anyMatch(e -> e.type() == AuditType.USER_DISABLED && "alice".equals(e.user())),
                stored().toString());
        assertTrue(stored().stream().noneMatch(e -> e.user() != null && !e.user().equals(e.user().strip())),
                stored().toString());
    }
}
