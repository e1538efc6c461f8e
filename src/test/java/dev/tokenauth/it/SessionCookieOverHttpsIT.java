package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertFailure;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same WAR served over HTTPS (each test server has a TLS connector with a key pair the build made): the
 * session cookie and the device cookie are then also {@code Secure}, the login does not redirect to plain HTTP, and
 * the same-origin check knows its own https origin. Over plain HTTP the cookie is not {@code Secure}, or no browser
 * would send it back to the documented http://localhost:8080 run.
 */
@Tag("container")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SessionCookieOverHttpsIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    private URL https;

    @BeforeEach
    void httpsAddress() throws Exception {
        https = new URL("https", "localhost", Integer.getInteger("tokenauth.it.httpsPort"), base.getPath());
    }

    @Test
    void overHttpsTheSessionCookieIsSecureHttpOnlyAndSameSiteLax() throws Exception {
        Api browser = Api.browser(https, trustingTheTestCertificate());

        Api.Reply login = browser.postForm("login", "username", Deployments.ADMIN, "password", Deployments.adminPassword());

        assertEquals(303, login.status(), login.body());
        assertFalse(login.header("Location").orElseThrow().startsWith("http:"), "no redirect to plain HTTP");
        List<String> attributes = cookieAttributes(login);
        assertTrue(attributes.containsAll(List.of("secure", "httponly", "samesite=lax")), attributes.toString());
        assertJson(browser.get("api/whoami"), 200, "{\"user\":\"admin\",\"success\":true}");
    }

    @Test
    void overHttpsTheDeviceCookieIsSecureToo() throws Exception {
        Api.Reply login = Api.browser(https, trustingTheTestCertificate())
                .postForm("login", "username", Deployments.ADMIN, "password", Deployments.adminPassword());

        assertEquals(303, login.status(), login.body());
        String device = login.allHeaders("Set-Cookie").stream().filter(c -> c.startsWith("tokenauth_device="))
                .findFirst().orElseThrow();
        assertTrue(device.endsWith("; Path=" + contextPath() + "; Max-Age=2592000; Secure; HttpOnly; SameSite=Strict"),
                device);
    }

    @Test
    void overPlainHttpTheSessionCookieIsNotSecure() {
        Api.Reply login = Api.browser(base).postForm("login", "username", Deployments.ADMIN,
                "password", Deployments.adminPassword());

        assertEquals(303, login.status(), login.body());
        List<String> attributes = cookieAttributes(login);
        assertFalse(attributes.contains("secure"), attributes.toString());
        assertTrue(attributes.containsAll(List.of("httponly", "samesite=lax")), attributes.toString());
    }

    @Test
    void overHttpsTheOwnHttpsOriginIsSameSiteAndItsPlainHttpTwinIsNot() throws Exception {
        Api browser = Api.browser(https, trustingTheTestCertificate())
                .login(Deployments.ADMIN, Deployments.adminPassword());
        String csrf = browser.get("api/session").json().getString("csrf_token");
        String own = "https://localhost:" + https.getPort();

        assertFailure(browser.post("api/create_token", null, "Origin", "http://localhost:" + https.getPort(),
                "X-CSRF-Token", csrf), 403, "Cross-site request refused.");
        Api.Reply made = browser.post("api/create_token", null, "Origin", own, "X-CSRF-Token", csrf);
        assertEquals(200, made.status(), made.body());
    }

    /**
     * The session cookie's attributes after its name=value, lower-cased: attribute names are case-insensitive. Picked
     * by name, since the login sets the device cookie as well, in whatever order the container writes them.
     */
    private static List<String> cookieAttributes(Api.Reply reply) {
        String cookie = reply.allHeaders("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .findFirst().orElseThrow(() -> new AssertionError(reply.allHeaders("Set-Cookie").toString()));
        return Arrays.stream(cookie.split(";")).skip(1).map(a -> a.strip().toLowerCase(Locale.ROOT)).toList();
    }

    private String contextPath() {
        String path = base.getPath().replaceFirst("/$", "");
        return path.isEmpty() ? "/" : path;
    }

    /** TLS that trusts exactly the certificate the build made for the test servers. */
    private static SSLContext trustingTheTestCertificate() throws Exception {
        KeyStore keystore = KeyStore.getInstance("PKCS12");
        char[] password = System.getProperty("tokenauth.it.keystorePassword").toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("tokenauth.it.keystore")))) {
            keystore.load(in, password);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keystore);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }
}
