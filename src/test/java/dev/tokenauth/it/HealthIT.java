package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/** The health endpoints a load balancer asks, without a token, in MicroProfile Health's shape. */
@Tag("container")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HealthIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    @Test
    void liveIsUpWithoutAToken() {
        Api.Reply reply = Api.client(base).get("health/live");

        assertJson(reply, 200, "{\"status\": \"UP\", \"checks\": []}");
        assertEquals("no-store", reply.header("Cache-Control").orElse(null));
    }

    @Test
    void readyIsUpWhileTheDatabaseAnswers() {
        assertJson(Api.client(base).get("health/ready"), 200,
                "{\"status\": \"UP\", \"checks\": [{\"name\": \"database\", \"status\": \"UP\"}]}");
    }
}
