package dev.tokenauth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import jakarta.json.JsonObject;

/**
 * Last-use times are gathered in memory and written in the background: this proves that they reach the
 * database, by reading them back after the application was undeployed and deployed again (on Payara Micro, a
 * new server process). The steps are ordered methods because Arquillian deploys and undeploys between them.
 */
@Tag("container")
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@Order(Deployments.OWN_ARCHIVE)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LastUseAcrossRedeployIT {

    private static final String APP = "app";

    private static String alice;
    private static String token;
    private static JsonObject beforeRedeploy;

    @Deployment(name = APP, managed = false, testable = false)
    static WebArchive war() {
        return Deployments.builtWarNeverShared();
    }

    @ArquillianResource
    Deployer deployer;

    @Test
    @Order(1)
    void deploy() {
        deployer.deploy(APP);
    }

    @Test
    @Order(2)
    void aTokenUsedNowIsListedWithItsLastUse(@ArquillianResource @OperateOnDeployment(APP) URL base) {
        alice = Users.create(base, "alice");
        token = Api.browser(base).login(alice, Users.PASSWORD).createToken(null);
        Instant before = Instant.now();

        assertEquals(200, Api.client(base).get("api/whoami", Api.auth(token)).status());

        beforeRedeploy = onlyTokenOf(base);
        assertFalse(Instant.parse(beforeRedeploy.getString("last_used_at")).isBefore(before.truncatedTo(ChronoUnit.MILLIS)),
                beforeRedeploy.toString());
    }

    @Test
    @Order(3)
    void redeploy() throws Exception {
        // On Payara Micro the undeploy ends the server process and the deploy starts a new one; the adapter only
        // sends SIGTERM (Process.destroy) and starts the next at once, while the old one's JVM shutdown hook may
        // still be writing the pending use into the same embedded database. An operator's restart waits for the
        // process to end; so does this one, instead of waiting a guessed time for the background writer.
        List<ProcessHandle> servers = ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains("payara-micro"))
                .toList();
        deployer.undeploy(APP);
        for (ProcessHandle server : servers) {
            server.onExit().get(90, TimeUnit.SECONDS);
        }
        deployer.deploy(APP);
    }

    @Test
    @Order(4)
    void theLastUseWasWrittenToTheDatabase(@ArquillianResource @OperateOnDeployment(APP) URL base) {
        JsonObject after = onlyTokenOf(base);

        assertEquals(beforeRedeploy.getJsonNumber("id"), after.getJsonNumber("id"));
        assertEquals(beforeRedeploy.getString("created_at"), after.getString("created_at"));
        assertEquals(Instant.parse(beforeRedeploy.getString("last_used_at")).truncatedTo(ChronoUnit.MILLIS),
                Instant.parse(after.getString("last_used_at")).truncatedTo(ChronoUnit.MILLIS), after.toString());
        assertEquals(200, Api.client(base).get("api/whoami", Api.auth(token)).status(), "the token still works");
    }

    @Test
    @Order(5)
    void undeploy() {
        deployer.undeploy(APP);
    }

    /** Alice's one token, as her browser session lists it (a session, so that listing is not itself a use). */
    private static JsonObject onlyTokenOf(URL base) {
        Api.Reply reply = Api.browser(base).login(alice, Users.PASSWORD).get("api/tokens");
        assertEquals(200, reply.status(), reply.body());
        List<JsonObject> tokens = reply.json().getJsonArray("tokens").getValuesAs(JsonObject.class);
        assertEquals(1, tokens.size(), tokens.toString());
        return tokens.get(0);
    }
}
