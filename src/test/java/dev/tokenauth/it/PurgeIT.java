package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import jakarta.json.JsonObject;

/**
 * The background purge in the real container: an ended token's row stays for the retention period (its owner
 * still gets "already rotated" for it), then goes, while live tokens and tokens in their grace period stay.
 * The built WAR is deployed with a short retention and purge interval as context parameters, which is how an
 * operator would set them in the WAR's descriptor.
 */
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@Order(Deployments.OWN_ARCHIVE)
@RunAsClient
class PurgeIT {

    private static final Duration RETENTION = Duration.ofSeconds(8);
    private static final String ALREADY_ROTATED = "Token was already rotated; rotate its successor instead.";

    @Deployment(testable = false)
    static WebArchive warWithShortRetention() {
        return Deployments.builtWarWith(Map.of("tokenauth.token.retention", RETENTION.toSeconds(),
                "tokenauth.token.purge.interval", 1));
    }

    @ArquillianResource
    URL base;

    @Test
    void anEndedTokenIsKeptForTheRetentionPeriodThenPurgedWhileLiveTokensStay() throws Exception {
        Api alice = Api.browser(base).login(Users.create(base, "alice"), Users.PASSWORD);
        long ended = created(alice).getJsonNumber("id").longValue();
        JsonObject graceToken = created(alice);
        long inGrace = graceToken.getJsonNumber("id").longValue();
        JsonObject endedNow = rotate(alice, ended, 0);
        JsonObject graceADay = rotate(alice, inGrace, 86400);
        Instant end = Instant.parse(endedNow.getString("old_expires_at"));

        assertFailure(alice.postJson("api/rotate_token", "{\"id\":" + ended + "}"), 409, ALREADY_ROTATED);

        Api.Reply reply;
        do {
            Thread.sleep(250);
            reply = alice.postJson("api/rotate_token", "{\"id\":" + ended + "}");
        } while (reply.status() == 409 && Instant.now().isBefore(end.plus(RETENTION).plusSeconds(60)));
        Instant gone = Instant.now();

        assertFailure(reply, 404, "Token not found.");
        assertFalse(gone.isBefore(end.plus(RETENTION)), "purged at " + gone + ", before the retention from " + end);
        assertFailure(alice.postJson("api/rotate_token", "{\"id\":" + inGrace + "}"), 409, ALREADY_ROTATED);
        Api curl = Api.client(base);
        for (JsonObject live : new JsonObject[] {graceToken, endedNow, graceADay}) {
            assertEquals(200, curl.get("api/whoami", Api.auth(live.getString("token"))).status());
        }
        assertFalse(ServerLog.awaitMatches("Purged (\\d+) revoked or expired tokens past their retention").isEmpty(),
                "the purge is logged");
    }

    private static JsonObject created(Api browser) {
        Api.Reply reply = browser.postJson("api/create_token", "{}");
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }

    private static JsonObject rotate(Api browser, long id, int graceSeconds) {
        Api.Reply reply = browser.postJson("api/rotate_token", "{\"id\":" + id + ",\"grace_seconds\":" + graceSeconds + "}");
        assertEquals(200, reply.status(), reply.body());
        return reply.json();
    }
}
