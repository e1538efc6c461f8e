package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static dev.tokenauth.it.ApiAssertions.assertNotLoggedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.StringReader;
import java.net.URL;
import java.util.UUID;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * The sample application (src/sample), built by the build with Maven from its own pom, which names tokenauth's jar
 * as its one dependency, and which has no web.xml: deployed as built, the documented flows work at /api and its own
 * servlet sees the token's owner; with {@code tokenauth.api.path} the API moves under /services/api; with
 * {@code tokenauth.enabled=false}, or an {@code <absolute-ordering>} that leaves the fragment out, nothing of tokenauth
 * is there and its /api answers as the application alone would. One deployment at a time (they share the test
 * server's data directory), hence the ordered steps.
 */
@Tag("container")
@Tag("adoption")
@ExtendWith(ArquillianExtension.class)
@Order(Deployments.OWN_ARCHIVE)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SampleAppIT {

    private static final String AS_BUILT = "as-built";
    private static final String MOVED = "moved";
    private static final String OFF = "off";
    private static final String LEFT_OUT = "left-out";
    /** The sample's demo password (com.example.orders.SignInServlet). */
    private static final String DEMO_PASSWORD = "orders-demo-password";

    private static WebArchive sample(String name) {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("tokenauth.it.sampleWar")))
                .as(WebArchive.class);
    }

    /** A web.xml of the application's own settings only: no filter, listener or servlet of tokenauth's. */
    private static StringAsset webXml(String body) {
        return new StringAsset("""
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                """ + body + "</web-app>\n");
    }

    @Deployment(name = AS_BUILT, managed = false, testable = false)
    static WebArchive asBuilt() {
        return named(sample(AS_BUILT), "orders.war");
    }

    /**
     * Its own servlet also under the moved API, as a second servlet of the same class (its annotation still maps
     * /api/orders; Payara refuses a web.xml mapping that names an annotated servlet by its default name).
     */
    @Deployment(name = MOVED, managed = false, testable = false)
    static WebArchive moved() {
        return named(sample(MOVED), "orders-moved.war").setWebXML(webXml("""
                  <context-param><param-name>tokenauth.api.path</param-name><param-value>/services/api</param-value></context-param>
                  <servlet><servlet-name>orders-under-services</servlet-name><servlet-class>com.example.orders.OrdersServlet</servlet-class></servlet>
                  <servlet-mapping><servlet-name>orders-under-services</servlet-name><url-pattern>/services/api/orders</url-pattern></servlet-mapping>
                """));
    }

    @Deployment(name = OFF, managed = false, testable = false)
    static WebArchive off() {
        return named(sample(OFF), "orders-off.war").setWebXML(webXml("""
                  <context-param><param-name>tokenauth.enabled</param-name><param-value>false</param-value></context-param>
                """));
    }

    /** The standard way to leave a library's fragment (and its initializer) out: an absolute ordering without it. */
    @Deployment(name = LEFT_OUT, managed = false, testable = false)
    static WebArchive leftOut() {
        return named(sample(LEFT_OUT), "orders-left-out.war").setWebXML(webXml("""
                  <absolute-ordering/>
                """));
    }

    private static WebArchive named(WebArchive war, String name) {
        WebArchive renamed = ShrinkWrap.create(WebArchive.class, name);
        renamed.merge(war);
        return renamed;
    }

    @ArquillianResource
    Deployer deployer;

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /** Signs in with the application's own login, makes a token, uses it on the app's servlet, revokes it. */
    private static void documentedFlows(URL base, String api) {
        String clerk = "clerk-" + UUID.randomUUID().toString().substring(0, 8);
        assertNotLoggedIn(Api.client(base).post(api + "/create_token", null));
        assertNotLoggedIn(Api.client(base).get(api + "/orders"));

        Api browser = Api.browser(base);
        assertEquals(204, browser.postForm("signin", "username", clerk, "password", DEMO_PASSWORD).status());
        Api.Reply created = browser.post(api + "/create_token", null);
        assertEquals(200, created.status(), created.body());
        String token = created.json().getString("token");
        assertEquals(true, created.json().getBoolean("success"));

        Api.Reply orders = Api.client(base).get(api + "/orders", Api.auth(token));
        assertEquals(200, orders.status(), orders.body());
        assertEquals(json("{\"orders\": [], \"user\": \"" + clerk + "\"}"), orders.json(),
                "the application's servlet sees the token's owner as getRemoteUser()");
        assertJson(Api.client(base).get(api + "/whoami", Api.auth(token)), 200,
                "{\"user\": \"" + clerk + "\", \"success\": true}");

        assertJson(Api.client(base).postJson(api + "/revoke_token", "{\"token\": \"" + token + "\"}",
                Api.auth(token)), 200, "{\"success\": true}");
        assertInvalidToken(Api.client(base).get(api + "/orders", Api.auth(token)));
    }

    @Test
    @Order(1)
    void deployAsBuilt() {
        deployer.deploy(AS_BUILT);
    }

    @Test
    @Order(2)
    void asBuiltTheDocumentedFlowsWorkUnderApiAndItsServletSeesTheTokensOwner(
            @ArquillianResource @OperateOnDeployment(AS_BUILT) URL base) {
        documentedFlows(base, "api");
    }

    @Test
    @Order(3)
    void undeployAsBuilt() {
        deployer.undeploy(AS_BUILT);
    }

    @Test
    @Order(4)
    void deployMoved() {
        deployer.deploy(MOVED);
    }

    @Test
    @Order(5)
    void movedTheApiLivesUnderServicesApi(@ArquillianResource @OperateOnDeployment(MOVED) URL base) {
        documentedFlows(base, "services/api");
        // /api is no longer tokenauth's: the application's servlet there answers without a user.
        Api.Reply orders = Api.client(base).get("api/orders");
        assertEquals(200, orders.status(), orders.body());
        assertEquals(json("{\"orders\": [], \"user\": null}"), orders.json());
        assertEquals(404, Api.client(base).post("api/create_token", null).status());
    }

    @Test
    @Order(6)
    void undeployMoved() {
        deployer.undeploy(MOVED);
    }

    @Test
    @Order(7)
    void deployOff() {
        deployer.deploy(OFF);
    }

    @Test
    @Order(8)
    void turnedOffItsApiAnswersAsTheApplicationAloneWould(@ArquillianResource @OperateOnDeployment(OFF) URL base) {
        assertAnswersAsTheApplicationAlone(base);
    }

    private static void assertAnswersAsTheApplicationAlone(URL base) {
        Api.Reply orders = Api.client(base).get("api/orders");
        assertEquals(200, orders.status(), orders.body());
        assertEquals(json("{\"orders\": [], \"user\": null}"), orders.json());
        assertEquals(404, Api.client(base).post("api/create_token", null).status());
        assertEquals(404, Api.client(base).get("api/whoami").status());
    }

    @Test
    @Order(9)
    void undeployOff() {
        deployer.undeploy(OFF);
    }

    @Test
    @Order(10)
    void deployLeftOut() {
        deployer.deploy(LEFT_OUT);
    }

    @Test
    @Order(11)
    void leftOutOfTheAbsoluteOrderingNothingOfTokenauthIsThere(
            @ArquillianResource @OperateOnDeployment(LEFT_OUT) URL base) {
        assertAnswersAsTheApplicationAlone(base);
    }

    @Test
    @Order(12)
    void undeployLeftOut() {
        deployer.undeploy(LEFT_OUT);
    }
}
