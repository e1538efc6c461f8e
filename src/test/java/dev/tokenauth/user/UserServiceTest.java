package dev.tokenauth.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.tokenauth.RecordedLogs;

class UserServiceTest {

    private static final String USERNAME_PROBLEM = "Username must be 1 to 64 letters, digits or . _ @ -.";
    private static final String PASSWORD_PROBLEM = "Password must be 8 to 1024 characters.";

    private InMemoryUserStore store;
    private PasswordHasher hasher;
    private UserService service;

    @BeforeEach
    void setUp() {
        store = new InMemoryUserStore();
        hasher = new PasswordHasher(1000, new SecureRandom());
        service = new UserService(store, hasher);
        service.create("alice", "alice-password", false);
        service.create("root", "root-password", true);
        store.finds = 0;
    }

    @Test
    void authenticateWithTheRightPasswordGivesTheUsername() {
        assertEquals(Optional.of("alice"), service.authenticate("alice", "alice-password"));
    }

    @Test
    void authenticateWithAWrongPasswordIsEmpty() {
        assertEquals(Optional.empty(), service.authenticate("alice", "root-password"));
        assertEquals(Optional.empty(), service.authenticate("alice", "alice-passwor"));
        assertEquals(Optional.empty(), service.authenticate("alice", ""));
    }

    @Test
    void authenticateOfAnUnknownUserIsEmpty() {
        assertEquals(Optional.empty(), service.authenticate("mallory", "alice-password"));
    }

    @Test
    void authenticateOfAnUnknownUserWithTheDecoyPasswordIsEmpty() {
        assertEquals(Optional.empty(), service.authenticate("mallory", "decoy password"));
    }

    @Test
    void authenticateWithNullInputsIsEmptyAndNeverCallsTheStore() {
        assertEquals(Optional.empty(), service.authenticate(null, "alice-password"));
        assertEquals(Optional.empty(), service.authenticate("alice", null));
        assertEquals(Optional.empty(), service.authenticate(null, null));
        assertEquals(0, store.finds, "the store should never be called");
    }

    @Test
    void authenticateWithAnOverLongPasswordIsEmptyAndNeverCallsTheStore() {
        String longPassword = "p".repeat(1025);
        store.users.put("long", new User("long", hasher.hash(longPassword), false));

        assertEquals(Optional.empty(), service.authenticate("long", longPassword),
                "a password over 1024 characters should be refused even if it matches");
        assertEquals(0, store.finds, "the store should never be called");
    }

    @Test
    void authenticateWithAPasswordOfExactlyTheMaximumLengthWorks() {
        String longest = "p".repeat(1024);
        assertEquals(UserService.Creation.CREATED, service.create("max", longest, false));
        assertEquals(Optional.of("max"), service.authenticate("max", longest));
    }

    @Test
    void createReturnsCreatedThenNameTakenAndKeepsTheFirstUser() {
        assertEquals(UserService.Creation.CREATED, service.create("bob", "bob-password", false));
        assertEquals(UserService.Creation.NAME_TAKEN, service.create("bob", "other-password", true));

        assertEquals(3, store.count(), "the second create should add no user");
        assertEquals(Optional.of("bob"), service.authenticate("bob", "bob-password"));
        assertEquals(Optional.empty(), service.authenticate("bob", "other-password"));
        assertFalse(service.isAdmin("bob"), "the refused create should not make bob an admin");
    }

    @Test
    void createStoresAHashNeverThePassword() {
        service.create("bob", "bob-password", false);
        User bob = store.users.get("bob");

        assertFalse(bob.passwordHash().contains("bob-password"), "the store holds the password");
        assertTrue(hasher.matches("bob-password", bob.passwordHash()));
        assertEquals("User[bob]", bob.toString());
    }

    @Test
    void createRefusesWhatProblemWithRefuses() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> service.create("bob", "short", false));
        assertEquals(PASSWORD_PROBLEM, e.getMessage());
        assertFalse(store.users.containsKey("bob"), "no user should be created");
    }

    @Test
    void isAdminIsTrueOnlyForAdmins() {
        assertTrue(service.isAdmin("root"));
        assertFalse(service.isAdmin("alice"));
        assertFalse(service.isAdmin("nobody"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a/b", " alice", "alice ", "al:ice", "al\\ice", "ålice", "alice\n"})
    void problemWithABadUsernameNamesTheUsernameRule(String username) {
        assertEquals(Optional.of(USERNAME_PROBLEM), UserService.problemWith(username, "good-password"));
    }

    @Test
    void problemWithAUsernameOf65CharactersNamesTheUsernameRule() {
        assertEquals(Optional.of(USERNAME_PROBLEM), UserService.problemWith("a".repeat(65), "good-password"));
    }

    @Test
    void problemWithAPasswordOf7Or1025CharactersNamesThePasswordRule() {
        assertEquals(Optional.of(PASSWORD_PROBLEM), UserService.problemWith("alice", "1234567"));
        assertEquals(Optional.of(PASSWORD_PROBLEM), UserService.problemWith("alice", "p".repeat(1025)));
        assertEquals(Optional.of(PASSWORD_PROBLEM), UserService.problemWith("alice", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "alice", "Alice.Smith", "alice_smith", "alice-smith", "alice@example.com", "0"})
    void problemWithAnAcceptableUsernameIsEmpty(String username) {
        assertEquals(Optional.empty(), UserService.problemWith(username, "good-password"));
    }

    @Test
    void problemWithBoundaryLengthsIsEmpty() {
        assertEquals(Optional.empty(), UserService.problemWith("a".repeat(64), "12345678"));
        assertEquals(Optional.empty(), UserService.problemWith("alice", "p".repeat(1024)));
    }

    @Test
    void createInitialAdminWithAConfiguredPasswordCreatesAnAdminThatLogsInWithIt() {
        InMemoryUserStore empty = new InMemoryUserStore();
        UserService fresh = new UserService(empty, hasher);

        fresh.createInitialAdminIfNoUsers("configured-password", new SecureRandom());

        assertEquals(1, empty.count());
        assertEquals(Optional.of("admin"), fresh.authenticate("admin", "configured-password"));
        assertTrue(fresh.isAdmin("admin"), "the initial user should be an admin");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void createInitialAdminWithoutAConfiguredPasswordCreatesAnAdminWithAGeneratedPassword(String configured) {
        InMemoryUserStore empty = new InMemoryUserStore();
        UserService fresh = new UserService(empty, hasher);

        fresh.createInitialAdminIfNoUsers(configured, new SecureRandom());

        assertEquals(1, empty.count());
        assertTrue(fresh.isAdmin("admin"), "the initial user should be an admin");
        assertEquals(Optional.empty(), fresh.authenticate("admin", ""), "the password should not be empty");
        assertEquals(Optional.empty(), fresh.authenticate("admin", "null"), "the password should not be 'null'");
    }

    @Test
    void createInitialAdminWithoutAConfiguredPasswordLogsTheGeneratedPasswordOnceAndItWorks() {
        InMemoryUserStore empty = new InMemoryUserStore();
        UserService fresh = new UserService(empty, hasher);
        List<LogRecord> records;
        try (RecordedLogs logs = RecordedLogs.of(Logger.getLogger(UserService.class.getName()))) {
            fresh.createInitialAdminIfNoUsers(null, new SecureRandom());
            records = logs.records();
        }

        List<String> warnings = records.stream().filter(r -> r.getLevel() == Level.WARNING)
                .map(LogRecord::getMessage).toList();
        assertEquals(1, warnings.size(), "one warning should name the generated password: " + warnings);
        Matcher m = Pattern.compile("generated password: (\\S+) ").matcher(warnings.get(0));
        assertTrue(m.find(), "the warning should contain the password: " + warnings.get(0));
        String generated = m.group(1);
        assertEquals(20, generated.length(), "generated password " + generated);
        assertEquals(Optional.of("admin"), fresh.authenticate("admin", generated));
    }

    @Test
    void createInitialAdminDoesNothingWhenAnyUserExists() {
        long before = store.count();

        service.createInitialAdminIfNoUsers("configured-password", new SecureRandom());

        assertEquals(before, store.count(), "no user should be added");
        assertFalse(store.users.containsKey("admin"), "no admin should be created");
    }

    @Test
    void createInitialAdminWithATooShortConfiguredPasswordFailsAndCreatesNoUser() {
        InMemoryUserStore empty = new InMemoryUserStore();
        UserService fresh = new UserService(empty, hasher);

        assertThrows(IllegalArgumentException.class, () -> fresh.createInitialAdminIfNoUsers("short", new SecureRandom()));
        assertEquals(0, empty.count(), "no user should be created with a password the rules refuse");
    }

    @Test
    void aDisabledUserCannotLogInIsNoAdminAndIsReportedDisabled() {
        assertTrue(service.setDisabled("root", true));

        assertEquals(Optional.empty(), service.authenticate("root", "root-password"));
        assertFalse(service.isAdmin("root"), "a disabled admin has no admin rights");
        assertTrue(service.isDisabled("root"));
        assertFalse(service.isDisabled("alice"));
        assertFalse(service.isDisabled("realm-user"), "users the store does not know are not disabled");
    }

    @Test
    void enablingAgainRestoresLoginAndSettingTheSameStateAgainChangesNothing() {
        assertTrue(service.setDisabled("alice", true));
        assertFalse(service.setDisabled("alice", true), "already disabled");
        assertTrue(service.setDisabled("alice", false));
        assertFalse(service.setDisabled("alice", false), "already enabled");

        assertEquals(Optional.of("alice"), service.authenticate("alice", "alice-password"));
    }

    @Test
    void disablingOrResettingAnUnknownUserThrowsNoSuchUser() {
        assertThrows(UserService.NoSuchUser.class, () -> service.setDisabled("mallory", true));
        assertThrows(UserService.NoSuchUser.class, () -> service.setPassword("mallory", "a good password", Instant.EPOCH));
        assertFalse(store.users.containsKey("mallory"), "no user was made");
    }

    @Test
    void aNewPasswordReplacesTheOldOneAndIsStoredHashed() {
        service.setPassword("alice", "brand new password", Instant.EPOCH);

        assertEquals(Optional.empty(), service.authenticate("alice", "alice-password"));
        assertEquals(Optional.of("alice"), service.authenticate("alice", "brand new password"));
        assertTrue(store.users.get("alice").passwordHash().startsWith("pbkdf2-sha256$"));
        assertFalse(store.users.get("alice").passwordHash().contains("brand new password"));
    }

    @Test
    void aNewPasswordMustBeLongEnough() {
        String before = store.users.get("alice").passwordHash();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> service.setPassword("alice", "short", Instant.EPOCH));

        assertEquals(PASSWORD_PROBLEM, e.getMessage());
        assertEquals(before, store.users.get("alice").passwordHash(), "the old password should remain");
    }

    @Test
    void theUserListIsSortedByName() {
        service.create("bob", "bob-password", false);

        assertEquals(List.of("alice", "bob", "root"), service.list().stream().map(User::username).toList());
    }

    @Test
    void aSessionEndsWhenThePasswordIsReplacedAfterItsLoginOrTheUserIsDisabled() {
        Instant loggedIn = Instant.parse("2024-05-01T12:00:00Z");
        assertTrue(service.allowsSession("alice", loggedIn));

        service.setPassword("alice", "brand new password", loggedIn.plusSeconds(60));

        assertFalse(service.allowsSession("alice", loggedIn), "logged in before the new password");
        assertTrue(service.allowsSession("alice", loggedIn.plusSeconds(61)), "logged in with the new password");
        assertTrue(service.allowsSession("alice", null), "a container login is not ended by our password");
        service.setDisabled("alice", true);
        assertFalse(service.allowsSession("alice", loggedIn.plusSeconds(61)));
        assertFalse(service.allowsSession("alice", null));
        assertTrue(service.allowsSession("realm-user", loggedIn), "users the store does not know");
    }

    @Test
    void aNameWithSurroundingSpacesIsTheAccountWithoutThem() {
        assertEquals(Optional.of("alice"), service.authenticate("alice ", "alice-password"));
        assertEquals(Optional.of("alice"), service.authenticate(" alice\t", "alice-password"));
        assertTrue(service.isAdmin("root "));
        assertEquals("alice", service.find("alice  ").orElseThrow().username());

        assertTrue(service.setDisabled("alice ", true));

        assertTrue(service.isDisabled("alice"), "the one account alice is disabled");
        assertEquals(Optional.empty(), service.authenticate("alice", "alice-password"));
    }

    @Test
    void aSuccessfulLoginStoresAHashOfAnotherIterationCountAgainAtTheCurrentOneKeepingSessions() {
        Instant changed = Instant.parse("2024-05-01T12:00:00Z");
        service.setPassword("alice", "alice-password", changed);
        String before = store.users.get("alice").passwordHash();
        UserService raised = new UserService(store, new PasswordHasher(2000, new SecureRandom()));

        assertEquals(Optional.empty(), raised.authenticate("alice", "wrong-password"));
        assertEquals(before, store.users.get("alice").passwordHash(), "a failed login changes nothing");
        assertEquals(Optional.of("alice"), raised.authenticate("alice", "alice-password"));

        User after = store.users.get("alice");
        assertTrue(after.passwordHash().startsWith("pbkdf2-sha256$2000$"), after.passwordHash());
        assertEquals(changed, after.passwordChangedAt(), "the same password: sessions logged in before stay");
        assertEquals(Optional.of("alice"), raised.authenticate("alice", "alice-password"));
        assertEquals(after.passwordHash(), store.users.get("alice").passwordHash(), "stored again only once");
    }

    @Test
    void aHashAtTheCurrentCountIsNotStoredAgain() {
        String before = store.users.get("alice").passwordHash();

        assertEquals(Optional.of("alice"), service.authenticate("alice", "alice-password"));

        assertEquals(before, store.users.get("alice").passwordHash());
    }
}
