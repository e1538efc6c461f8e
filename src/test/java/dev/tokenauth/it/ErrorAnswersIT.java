package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;

import java.net.URL;
import java.net.http.HttpRequest.BodyPublishers;

import jakarta.json.Json;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** No container error page: errors outside the endpoints' own answers are JSON too. */
@Tag("container")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ErrorAnswersIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    @Test
    void anUnknownPageOutsideTheApiIsAJson404() {
        assertFailure(Api.client(base).get("no/such/page"), 404, "Not found.");
    }

    @Test
    void theErrorPageAskedForDirectlyIsAJson404AndStillAnswersTheContainersErrors() {
        assertFailure(Api.client(base).get("error"), 404, "Not found.");
        assertFailure(Api.client(base).post("error", "x=1", "Content-Type", "application/x-www-form-urlencoded"), 404,
                "Not found.");
        assertFailure(Api.client(base).get("error?javax.servlet.error.status_code=500"), 404, "Not found.");

        // As the container's error page, it still gives the error's own status and message.
        assertFailure(Api.client(base).get("no/such/page"), 404, "Not found.");
        assertFailure(Api.client(base).send("DELETE", "health/live", BodyPublishers.noBody()), 405,
                "Method not allowed.");
    }

    @Test
    void aRequestTheServerRefusesBeforeTheApplicationGetsJsonOrNothingButNeverAServerPage() {
        // An encoded slash and an encoded NUL: Tomcat refuses both before mapping them to any application, and
        // answers in JSON with the errorReportValveClass we tell operators to set; Payara Micro refuses the NUL
        // with an empty body and passes the slash on to the application.
        for (String path : new String[] {"api/a%2Fb", "api/%00"}) {
            Api.Reply reply = Api.client(base).get(path);

            assertTrue(reply.status() >= 400 && reply.status() < 500, path + ": " + reply.status());
            if (!reply.body().isEmpty()) {
                assertTrue(reply.header("Content-Type").orElse("").startsWith("application/json"),
                        path + ": " + reply.header("Content-Type") + " " + reply.body());
                Json.createReader(new StringReader(reply.body())).readObject();
            }
            assertFalse(reply.body().contains("Tomcat") || reply.body().contains("Payara")
                    || reply.body().contains("<"), reply.body());
        }
    }

    @Test
    void wrongMethodsOnEveryEndpointAreJson405sWithAllow() {
        String token = Api.browser(base).login(Users.create(base, "alice"), Users.PASSWORD).createToken(null);
        String[][] cases = {
            {"DELETE", "api/create_token", "GET, POST"},
            {"PUT", "api/whoami", "GET, HEAD"},
            {"POST", "api/tokens", "GET, HEAD"},
            {"DELETE", "api/users", "GET, HEAD, POST"},
            {"GET", "api/users/disable", "POST"},
            {"GET", "api/act_as", "POST"},
            {"POST", "api/session", "GET, HEAD"},
            {"POST", "api/audit", "GET, HEAD"},
            {"PUT", "login", "GET, HEAD, POST"},
        };
        for (String[] c : cases) {
            Api.Reply reply = Api.client(base).send(c[0], c[1], BodyPublishers.noBody(), Api.auth(token));
            assertFailure(reply, 405, "Method " + c[0] + " not allowed; use " + c[2] + ".");
            assertEquals(c[2], reply.header("Allow").orElse(null));
        }
        Api.Reply logout = Api.client(base).get("logout");
        assertFailure(logout, 405, "Method GET not allowed; use POST.");
    }
}
