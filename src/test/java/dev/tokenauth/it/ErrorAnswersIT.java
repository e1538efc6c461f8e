package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.net.http.HttpRequest.BodyPublishers;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** No container error page: errors outside the endpoints' own answers are JSON too. */
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
    void wrongMethodsOnEveryEndpointAreJson405sWithAllow() {
        String token = Api.browser(base).login(Users.create(base, "alice"), Users.PASSWORD).createToken(null);
        String[][] cases = {
            {"DELETE", "api/create_token", "GET, POST"},
            {"PUT", "api/whoami", "GET"},
            {"POST", "api/tokens", "GET"},
            {"DELETE", "api/users", "GET, POST"},
            {"GET", "api/users/disable", "POST"},
            {"GET", "api/act_as", "POST"},
            {"POST", "api/session", "GET"},
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
