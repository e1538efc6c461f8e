package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static dev.tokenauth.it.ApiAssertions.assertNotLoggedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.tokenauth.token.TokenFormat;
import jakarta.json.JsonObject;

/**
 * The filter's remote mode (issue 26): two WARs on one Tomcat, the token service (the built WAR) and the sample
 * application (src/sample, as its own pom built it) set to remote mode by settings alone: the service's URL as a
 * context parameter, its introspection token as a JNDI entry. The sample reaches the service through a TCP proxy of
 * the test's, which plays a service that is down (connections refused) or hung (no answer). The sample is deployed
 * through Tomcat's manager by this class (Arquillian keeps one application at a time); the service is the run's shared
 * deployment.
 */
@Tag("remote")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteModeIT {

    /** The sample's cache age: the bound on how late a revocation at the service counts in it. */
    private static final int CACHE_TTL = 2;
    /** The sample's bound on each wait for the service (the whole call: twice this). */
    private static final int TIMEOUT = 1;
    private static final String CACHED = "/orders-remote";
    private static final String UNCACHED = "/orders-remote-uncached";

    private static TcpProxy proxy;
    private static URI server;
    private static String introspector;
    private static String clerk;
    private static Api clerkSession;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    /** The sample as built, with a web.xml of settings only, and the probe servlet of the test. */
    private static WebArchive sampleInRemoteMode(String serviceUrl, String token, int cacheTtl) {
        WebArchive sample = ShrinkWrap.createFromZipFile(WebArchive.class,
                new File(System.getProperty("tokenauth.it.sampleWar")));
        sample.addClass(RemoteProbeServlet.class);
        sample.setWebXML(new StringAsset("""
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <context-param><param-name>tokenauth.remote.url</param-name><param-value>%s</param-value></context-param>
                  <context-param><param-name>tokenauth.remote.timeout</param-name><param-value>%d</param-value></context-param>
                  <context-param><param-name>tokenauth.token.cache.ttl</param-name><param-value>%d</param-value></context-param>
                  <env-entry>
                    <env-entry-name>tokenauth.remote.token</env-entry-name>
                    <env-entry-type>java.lang.String</env-entry-type>
                    <env-entry-value>%s</env-entry-value>
                  </env-entry>
                </web-app>
                """.formatted(serviceUrl, TIMEOUT, cacheTtl, token)));
        return sample;
    }

    /** Deploys through Tomcat's manager (text interface), as an operator's script would. */
    private static void deploy(String path, WebArchive war) throws IOException, InterruptedException {
        HttpResponse<String> reply;
        try (InputStream zip = war.as(ZipExporter.class).exportAsInputStream()) {
            reply = manager(HttpRequest.newBuilder(server.resolve("/manager/text/deploy?update=true&path=" + path))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(zip.readAllBytes())));
        }
        assertTrue(reply.body().startsWith("OK"), reply.body());
    }

    private static void undeploy(String path) throws IOException, InterruptedException {
        manager(HttpRequest.newBuilder(server.resolve("/manager/text/undeploy?path=" + path)).GET());
    }

    private static HttpResponse<String> manager(HttpRequest.Builder request) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString("arquillian:arquillian".getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(request.header("Authorization", "Basic " + credentials)
                .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URL sample(String path) {
        try {
            return server.resolve(path + "/").toURL();
        } catch (java.net.MalformedURLException e) {
            throw new AssertionError(e);
        }
    }

    private String tokenOfTheClerk() {
        return clerkSession.createToken(null);
    }

    private Api.Reply orders(String path, String token) {
        return Api.client(sample(path)).get("api/orders", Api.auth(token));
    }

    @Test
    @Order(1)
    void theServiceGivesAnIntrospectionTokenAndTheSampleIsDeployedInRemoteModeBesideIt() throws Exception {
        server = base.toURI().resolve("/");
        String admin = Users.createAdmin(base, "gateway");
        Api.Reply made = Api.browser(base).login(admin, Users.PASSWORD).postJson("api/create_token",
                "{\"scopes\": [\"introspect\"], \"label\": \"orders service\"}");
        assertEquals(200, made.status(), made.body());
        introspector = made.json().getString("token");
        clerk = Users.create(base, "clerk");
        clerkSession = Api.browser(base).login(clerk, Users.PASSWORD);

        proxy = new TcpProxy(server.getPort());
        String service = "http://127.0.0.1:" + proxy.port() + base.toURI().getPath();
        deploy(CACHED, sampleInRemoteMode(service, introspector, CACHE_TTL));
        deploy(UNCACHED, sampleInRemoteMode(service, introspector, 0));
    }

    @Test
    @Order(2)
    void aTokenMadeOnTheServiceWorksInTheSampleWhoseServletSeesItsOwner() {
        String token = tokenOfTheClerk();

        assertJson(orders(CACHED, token), 200, "{\"orders\": [], \"user\": \"" + clerk + "\"}");
        assertJson(orders(UNCACHED, token), 200, "{\"orders\": [], \"user\": \"" + clerk + "\"}");
    }

    @Test
    @Order(3)
    void theTokensScopesAndIdReachTheApplicationAsInLocalMode() {
        Api.Reply made = clerkSession.postJson("api/create_token", "{\"scopes\": [\"read\"]}");
        String readOnly = made.json().getString("token");
        long id = made.json().getJsonNumber("id").longValue();

        Api.Reply probe = Api.client(sample(CACHED)).get("api/probe", Api.auth(readOnly));

        assertEquals(200, probe.status(), probe.body());
        JsonObject seen = probe.json();
        assertEquals(clerk, seen.getString("user"));
        assertEquals(clerk, seen.getString("remote_user"));
        assertEquals(List.of("read"), seen.getJsonArray("scopes").getValuesAs(jakarta.json.JsonString.class).stream()
                .map(jakarta.json.JsonString::getString).toList());
        assertEquals(false, seen.getBoolean("has_write"));
        assertEquals(id, seen.getJsonNumber("token_id").longValue());
    }

    @Test
    @Order(4)
    void theSampleOpensNoDatabaseAndServesNoTokenEndpoint() {
        String token = tokenOfTheClerk();

        Api.Reply probe = Api.client(sample(CACHED)).get("api/probe", Api.auth(token));
        assertEquals("[]", probe.json().getJsonArray("database_classes_loaded").toString(),
                "no class of EclipseLink, Derby or tokenauth's store was loaded: " + RemoteProbeServlet.DATABASE_CLASSES);
        for (String endpoint : List.of("create_token", "revoke_token", "rotate_token", "tokens", "whoami",
                "introspect")) {
            assertEquals(404, Api.client(sample(CACHED)).post("api/" + endpoint, null, Api.auth(token)).status(),
                    endpoint);
        }
    }

    @Test
    @Order(5)
    void everyUnusableOrInactiveTokenIsTheSame401AndNoTokenIsNotLoggedIn() {
        String token = tokenOfTheClerk();
        String badChecksum = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        String unknown = TokenFormat.generate(new SecureRandom());

        for (String bad : List.of(badChecksum, unknown, "XYZ789", introspector + "x")) {
            assertInvalidToken(orders(CACHED, bad));
            assertInvalidToken(orders(UNCACHED, bad));
        }
        assertInvalidToken(Api.client(sample(CACHED)).get("api/orders", "Authorization", "Basic dXNlcjpwYXNz"));
        assertNotLoggedIn(Api.client(sample(CACHED)).get("api/orders"));
    }

    @Test
    @Order(6)
    void theApplicationsOwnLoginStillWorks() {
        Api browser = Api.browser(sample(CACHED));
        String shopper = "shopper-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(204, browser.postForm("signin", "username", shopper, "password", "orders-demo-password").status());

        assertJson(browser.get("api/orders"), 200, "{\"orders\": [], \"user\": \"" + shopper + "\"}");
    }

    @Test
    @Order(7)
    void aRevocationAtTheServiceCountsInTheSampleWithinTheCachesAgeAndAtOnceWithTheCacheOff() throws Exception {
        String token = tokenOfTheClerk();
        assertEquals(200, orders(CACHED, token).status());
        assertEquals(200, orders(UNCACHED, token).status());

        long revoked = System.nanoTime();
        assertJson(Api.client(base).postJson("api/revoke_token", "{\"token\": \"" + token + "\"}", Api.auth(token)),
                200, "{\"success\": true}");

        assertInvalidToken(orders(UNCACHED, token));
        long refusedAfter;
        while (true) {
            Api.Reply reply = orders(CACHED, token);
            refusedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revoked);
            if (reply.status() == 401) {
                assertInvalidToken(reply);
                break;
            }
            assertEquals(200, reply.status(), reply.body());
            assertTrue(refusedAfter <= CACHE_TTL * 1000 + 1000, "still let in " + refusedAfter + " ms after the revocation");
            Thread.sleep(50);
        }
        System.out.println("REMOTE: a revocation at the service counted in the sample after " + refusedAfter
                + " ms (cache age " + CACHE_TTL + " s); at once with the cache off");
    }

    @Test
    @Order(8)
    void aServiceThatIsDownOrHungIsA503WithinTheBoundAndTheSampleRecoversOnItsOwn() throws Exception {
        String cached = tokenOfTheClerk();
        assertEquals(200, orders(CACHED, cached).status());
        String fresh = tokenOfTheClerk();

        proxy.stop();
        long start = System.nanoTime();
        assertFailure(orders(UNCACHED, fresh), 503, "Service unavailable, try again later.");
        long refusedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(200, orders(CACHED, cached).status(), "an answer still fresh in the cache");

        proxy.start();
        proxy.hold(true);
        start = System.nanoTime();
        assertFailure(orders(UNCACHED, fresh), 503, "Service unavailable, try again later.");
        long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(heldMillis < 2 * TIMEOUT * 1000 + 1500, "a hung service held the request " + heldMillis + " ms");
        for (int i = 0; i < 5; i++) {
            assertFailure(orders(UNCACHED, fresh), 503, "Service unavailable, try again later.");
        }

        proxy.hold(false);
        assertJson(orders(UNCACHED, fresh), 200, "{\"orders\": [], \"user\": \"" + clerk + "\"}");
        System.out.println("REMOTE: service down: 503 after " + refusedMillis + " ms; service hung: 503 after "
                + heldMillis + " ms (timeout " + TIMEOUT + " s)");

        String origin = "Token service at http://127\\.0\\.0\\.1:" + proxy.port();
        Map<java.nio.file.Path, List<String>> started = ServerLog.awaitMatchesPerFile("(" + origin
                + " unavailable) \\(first failure");
        Map<java.nio.file.Path, List<String>> ended = ServerLog.awaitMatchesPerFile(origin
                + " available again after \\d+ s; (\\d+) operations failed meanwhile");
        assertTrue(!started.isEmpty() && !ended.isEmpty(), started + " " + ended);
        started.forEach((file, lines) -> assertEquals(1, lines.size(), "logged once when it starts, in " + file));
        ended.forEach((file, counts) -> assertEquals(List.of("7"), counts,
                "once when it ends, with the count of the calls that failed, in " + file));
    }

    @Test
    @Order(9)
    void noTokenIsInTheServersLogs() throws Exception {
        for (String secret : List.of(introspector, introspector.substring(6, 30))) {
            assertEquals(List.of(), ServerLog.matchesNow("(" + java.util.regex.Pattern.quote(secret) + ")"));
        }
    }

    @AfterAll
    static void undeployTheSamples() throws Exception {
        if (server != null) {
            undeploy(CACHED);
            undeploy(UNCACHED);
        }
        if (proxy != null) {
            proxy.close();
        }
    }
}
