package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static dev.tokenauth.it.ApiAssertions.assertNotLoggedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the admin page calls: the user list, disabling, enabling, password resets, and acting as a user. */
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdministrationIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private static String user(String name) {
        return "{\"username\":\"" + name + "\"}";
    }

    /** The user's audit events, newest first, without refusals: those are stored later, in batches, at no set place. */
    private List<JsonObject> auditOf(String user) {
        return Users.admin(base).get("api/audit?user=" + user).json().getJsonArray("events").getValuesAs(JsonObject.class)
                .stream().filter(e -> !e.getString("event").equals("TOKEN_REFUSED")).toList();
    }

    @Test
    void theUserListNamesEveryUserWithRoleStatusAndCreationButNoPasswordHash() {
        String bob = Users.create(base, "bob");
        Api.Reply reply = Users.admin(base).get("api/users");

        assertEquals(200, reply.status());
        List<JsonObject> users = reply.json().getJsonArray("users").getValuesAs(JsonObject.class);
        JsonObject admin = users.stream().filter(u -> u.getString("username").equals("admin")).findFirst().orElseThrow();
        JsonObject bobs = users.stream().filter(u -> u.getString("username").equals(bob)).findFirst().orElseThrow();
        assertEquals(Set.of("username", "admin", "disabled", "created_at"), bobs.keySet());
        assertTrue(admin.getBoolean("admin"));
        assertEquals(false, bobs.getBoolean("admin"));
        assertEquals(false, bobs.getBoolean("disabled"));
        assertTrue(reply.body().indexOf("pbkdf2") < 0, "no password hash: " + reply.body());
    }

    @Test
    void onlyAdminsManageUsers() {
        String bob = Users.create(base, "bob");
        String carol = Users.create(base, "carol");
        Api bobs = Api.browser(base).login(bob, Users.PASSWORD);

        assertFailure(bobs.get("api/users"), 403, "Admin only.");
        assertFailure(bobs.postJson("api/users/disable", user(carol)), 403, "Admin only.");
        assertFailure(bobs.postJson("api/users/enable", user(carol)), 403, "Admin only.");
        assertFailure(bobs.postJson("api/users/password", "{\"username\":\"" + carol + "\",\"password\":\"12345678x\"}"),
                403, "Admin only.");
        assertFailure(bobs.postJson("api/act_as", user(carol)), 403, "Admin only.");
        Api.browser(base).login(carol, Users.PASSWORD);
    }

    @Test
    void disablingAUserRevokesAllTheirTokensEndsTheirSessionAndRefusesTheirLogin() {
        String bob = Users.create(base, "bob");
        Api bobs = Api.browser(base).login(bob, Users.PASSWORD);
        String first = bobs.createToken(null);
        String second = bobs.createToken(first);
        Api admin = Users.admin(base);

        assertJson(admin.postJson("api/users/disable", user(bob)), 200, "{\"revoked_tokens\":2,\"success\":true}");

        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(first)));
        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(second)));
        assertNotLoggedIn(bobs.get("api/whoami"));
        assertEquals(401, Api.browser(base).postForm("login", "username", bob, "password", Users.PASSWORD).status());
        assertJson(admin.postJson("api/users/disable", user(bob)), 200, "{\"revoked_tokens\":0,\"success\":true}");

        List<JsonObject> events = auditOf(bob);
        assertEquals("USER_DISABLED", events.get(2).getString("event"), events.toString());
        for (JsonObject revoked : events.subList(0, 2)) {
            assertEquals("TOKEN_REVOKED", revoked.getString("event"));
            assertEquals("admin", revoked.getString("acting_user"));
            assertEquals("user disabled", revoked.getString("detail"));
        }

        assertJson(admin.postJson("api/users/enable", user(bob)), 200, "{\"success\":true}");
        Api again = Api.browser(base).login(bob, Users.PASSWORD);
        assertInvalidToken(again.get("api/whoami", Api.auth(first)));
        assertEquals("USER_ENABLED", auditOf(bob).get(0).getString("event"));
    }

    @Test
    void anAdminCannotDisableThemselvesNorAnUnknownUser() {
        Api admin = Users.admin(base);
        assertFailure(admin.postJson("api/users/disable", user("admin")), 409, "You cannot disable yourself.");
        assertFailure(admin.postJson("api/users/disable", user("nobody-at-all")), 404, "User not found.");
        assertFailure(admin.postJson("api/users/enable", user("nobody-at-all")), 404, "User not found.");
        assertFailure(admin.postJson("api/users/disable", "{}"), 400, "Missing field: username.");
        assertJson(admin.get("api/whoami"), 200, "{\"user\":\"admin\",\"success\":true}");
    }

    @Test
    void aNameWithSurroundingSpacesIsTheSameUserForEveryRuleOfAnAdmin() {
        String admin2 = Users.createAdmin(base, "admin2");
        Api admins = Api.browser(base).login(admin2, Users.PASSWORD);
        String bob = Users.create(base, "bob");
        String token = Api.browser(base).login(bob, Users.PASSWORD).createToken(null);
        assertEquals(200, Api.client(base).get("api/whoami", Api.auth(token)).status(), "bob's token is now cached");

        assertFailure(admins.postJson("api/users/disable", user(admin2 + " ")), 409, "You cannot disable yourself.");
        assertJson(admins.postJson("api/users/disable", user(" " + bob + "  ")), 200,
                "{\"revoked_tokens\":1,\"success\":true}");

        assertInvalidToken(Api.client(base).get("api/whoami", Api.auth(token)));
        assertJson(admins.get("api/whoami"), 200, "{\"user\":\"" + admin2 + "\",\"success\":true}");
        List<JsonObject> disabled = auditOf(bob).stream().filter(e -> e.getString("event").equals("USER_DISABLED"))
                .toList();
        assertEquals(1, disabled.size(), auditOf(bob).toString());
        assertEquals(bob, disabled.get(0).getString("user"), "audited under the user's one name");
    }

    @Test
    void aPasswordResetReplacesThePasswordAndIsAudited() {
        String bob = Users.create(base, "bob");
        Api admin = Users.admin(base);

        assertFailure(admin.postJson("api/users/password", "{\"username\":\"" + bob + "\",\"password\":\"short\"}"),
                400, "Password must be 8 to 1024 characters.");
        Api bobsEarlierSession = Api.browser(base).login(bob, Users.PASSWORD);
        assertFailure(admin.postJson("api/users/password", "{\"username\":\"nobody-at-all\",\"password\":\"long enough\"}"),
                404, "User not found.");
        assertJson(admin.postJson("api/users/password", "{\"username\":\"" + bob + "\",\"password\":\"a new password\"}"),
                200, "{\"success\":true}");

        assertEquals(401, Api.browser(base).postForm("login", "username", bob, "password", Users.PASSWORD).status());
        assertNotLoggedIn(bobsEarlierSession.get("api/whoami"));
        Api.browser(base).login(bob, "a new password");
        JsonObject reset = auditOf(bob).get(0);
        assertEquals("PASSWORD_RESET", reset.getString("event"));
        assertEquals("admin", reset.getString("acting_user"));
        assertTrue(reset.toString().indexOf("a new password") < 0, reset.toString());
    }

    @Test
    void anAdminActingAsBobSeesAndChangesBobsTokensUntilTheyStop() {
        String bob = Users.create(base, "bob");
        String bobsOwn = Api.browser(base).login(bob, Users.PASSWORD).createToken(null);
        Api admin = Users.admin(base);
        String adminsOwn = admin.createToken(null);

        assertJson(admin.postJson("api/act_as", user(bob)), 200,
                "{\"user\":\"" + bob + "\",\"acting_user\":\"admin\",\"success\":true}");
        assertJson(admin.get("api/whoami"), 200, "{\"user\":\"" + bob + "\",\"success\":true}");
        JsonObject session = admin.get("api/session").json();
        assertEquals(bob, session.getString("user"));
        assertEquals("admin", session.getString("acting_user"));
        assertTrue(session.getBoolean("admin"), "the admin keeps their rights while acting");
        assertEquals(200, admin.get("api/users").status());

        String made = admin.createToken(null);
        assertJson(Api.client(base).get("api/whoami", Api.auth(made)), 200, "{\"user\":\"" + bob + "\",\"success\":true}");
        assertEquals(2, admin.get("api/tokens").json().getJsonArray("tokens").size(), "bob's two tokens");
        assertFailure(admin.postJson("api/revoke_token", "{\"token\":\"" + adminsOwn + "\"}"), 404, "Token not found.");
        assertJson(admin.postJson("api/revoke_token", "{\"token\":\"" + bobsOwn + "\"}"), 200, "{\"success\":true}");

        assertJson(admin.post("api/act_as/stop", null), 200, "{\"user\":\"admin\",\"success\":true}");
        assertJson(admin.get("api/whoami"), 200, "{\"user\":\"admin\",\"success\":true}");
        assertFailure(admin.post("api/act_as/stop", null), 409, "Not acting as anyone.");
        assertJson(Api.client(base).get("api/whoami", Api.auth(adminsOwn)), 200, "{\"user\":\"admin\",\"success\":true}");

        List<String> trail = auditOf(bob).stream()
                .map(e -> e.getString("event") + " by " + e.getString("acting_user", null))
                .toList();
        assertEquals(List.of("ACT_AS_STOPPED by admin", "TOKEN_REVOKED by admin", "TOKEN_CREATED by admin",
                "ACT_AS_STARTED by admin", "TOKEN_CREATED by " + bob), trail.subList(0, 5));
    }

    @Test
    void anAdminWhoLogsOutWhileActingStopsActingAndTheTrailSaysSo() {
        String bob = Users.create(base, "bob");
        Api admin = Users.admin(base);
        assertEquals(200, admin.postJson("api/act_as", user(bob)).status());

        assertEquals(303, admin.post("logout", null).status());

        JsonObject stopped = auditOf(bob).get(0);
        assertEquals("ACT_AS_STOPPED", stopped.getString("event"));
        assertEquals("admin", stopped.getString("acting_user"));
        assertEquals("logout", stopped.getString("detail"));
    }

    @Test
    void actingAsIsRefusedByTokenForOneselfForUnknownAndForDisabledUsers() {
        String bob = Users.create(base, "bob");
        String carol = Users.create(base, "carol");
        Api admin = Users.admin(base);
        String adminsToken = admin.createToken(null);
        assertJson(admin.postJson("api/users/disable", user(carol)), 200, "{\"revoked_tokens\":0,\"success\":true}");

        assertFailure(Api.client(base).postJson("api/act_as", user(bob), Api.auth(adminsToken)), 400,
                "Acting as a user needs a login session.");
        assertFailure(admin.postJson("api/act_as", user("admin")), 400, "You cannot act as yourself.");
        assertFailure(admin.postJson("api/act_as", user("nobody-at-all")), 404, "User not found.");
        assertFailure(admin.postJson("api/act_as", user(carol)), 409, "User is disabled.");
        assertJson(admin.get("api/whoami"), 200, "{\"user\":\"admin\",\"success\":true}");
    }

    @Test
    void disablingTheUserAnAdminActsAsEndsTheActing() {
        String bob = Users.create(base, "bob");
        Api actingAdmin = Users.admin(base);
        assertEquals(200, actingAdmin.postJson("api/act_as", user(bob)).status());

        assertEquals(200, Users.admin(base).postJson("api/users/disable", user(bob)).status());

        assertFailure(actingAdmin.get("api/whoami"), 409,
                "Acting as " + bob + " ended: the user was disabled. Your next requests are your own.");
        assertJson(actingAdmin.get("api/whoami"), 200, "{\"user\":\"admin\",\"success\":true}");
    }

    @Test
    void anAdminWhoResetsTheirOwnPasswordKeepsThisSessionButNotTheirOthers() {
        String root = "root-" + Long.toHexString(System.nanoTime());
        assertEquals(201, Users.admin(base).postJson("api/users",
                "{\"username\":\"" + root + "\",\"password\":\"first password\",\"admin\":true}").status());
        Api here = Api.browser(base).login(root, "first password");
        Api elsewhere = Api.browser(base).login(root, "first password");

        assertJson(here.postJson("api/users/password",
                "{\"username\":\"" + root + "\",\"password\":\"second password\"}"), 200, "{\"success\":true}");

        assertJson(here.get("api/whoami"), 200, "{\"user\":\"" + root + "\",\"success\":true}");
        assertNotLoggedIn(elsewhere.get("api/whoami"));
    }

    @Test
    void anAdminBacksUpTheEmbeddedDatabaseWhileItServesAndNoOneElseMay() {
        Api admin = Users.admin(base);

        Api.Reply reply = admin.postJson("api/admin/backup", "{}");

        if (System.getProperty("tokenauth.it.catalinaHome") == null) {
            assertFailure(reply, 409, "Backups are off: set tokenauth.backup.dir.");
        } else if (System.getProperty("tokenauth.it.containerDataSource") != null) {
            assertFailure(reply, 409, "Backups apply to embedded Derby only: back this database up with its own tools"
                    + " (for PostgreSQL, pg_dump).");
        } else {
            assertEquals(200, reply.status(), reply.body());
            Path backup = Path.of(reply.json().getString("backup"));
            assertEquals(Path.of(System.getProperty("tokenauth.it.dataDir"), "backups").toAbsolutePath(),
                    backup.getParent());
            assertTrue(backup.getFileName().toString().matches("tokenauth-\\d{8}T\\d{6}\\.\\d{3}Z"));
            assertTrue(Files.isRegularFile(backup.resolve("derby/service.properties")), "a whole Derby database");
            assertEquals(backup.getFileName().toString(), auditOf(Deployments.ADMIN).stream()
                    .filter(e -> e.getString("event").equals("BACKUP_MADE")).findFirst().orElseThrow()
                    .getString("detail"));
        }
        Api bobs = Api.browser(base).login(Users.create(base, "bob"), Users.PASSWORD);
        assertFailure(bobs.postJson("api/admin/backup", "{}"), 403, "Admin only.");
        assertEquals(405, admin.get("api/admin/backup").status());
    }
}
