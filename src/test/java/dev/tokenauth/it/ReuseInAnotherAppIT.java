package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static dev.tokenauth.it.ApiAssertions.assertNotLoggedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Another application, not ours, reuses the filter: its own WAR with its own servlet ({@code /api/orders}), its
 * own web.xml registering TokenAuthFilter and create/revoke_token, its own container-managed FORM login (a
 * Tomcat realm user, see src/test/tomcat/conf/tomcat-users.xml), and our classes jar with its dependencies.
 * Runs on the Tomcats only: on Payara Micro the login realm is the server's, not the application's.
 */
@Tag("container")
@ExtendWith(ArquillianExtension.class)
@Order(Deployments.OWN_ARCHIVE)
@RunAsClient
class ReuseInAnotherAppIT {

    private static final String CLERK = "orders-clerk";
    private static final String CLERK_PASSWORD = "orders-clerk-password";

    /** The other application's deployment descriptor, as its developers would write it (see webapp-config/). */
    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
              <listener><listener-class>dev.tokenauth.app.TokenAuthApplication</listener-class></listener>

              <filter>
                <filter-name>TokenAuth</filter-name>
                <filter-class>dev.tokenauth.web.TokenAuthFilter</filter-class>
              </filter>
              <filter-mapping><filter-name>TokenAuth</filter-name><url-pattern>/api/*</url-pattern></filter-mapping>

              <servlet><servlet-name>Orders</servlet-name><servlet-class>dev.tokenauth.it.OrdersServlet</servlet-class></servlet>
              <servlet><servlet-name>CreateToken</servlet-name><servlet-class>dev.tokenauth.web.CreateTokenServlet</servlet-class></servlet>
              <servlet><servlet-name>RevokeToken</servlet-name><servlet-class>dev.tokenauth.web.RevokeTokenServlet</servlet-class></servlet>
              <servlet-mapping><servlet-name>Orders</servlet-name><url-pattern>/api/orders</url-pattern></servlet-mapping>
              <servlet-mapping><servlet-name>CreateToken</servlet-name><url-pattern>/api/create_token</url-pattern></servlet-mapping>
              <servlet-mapping><servlet-name>RevokeToken</servlet-name><url-pattern>/api/revoke_token</url-pattern></servlet-mapping>

              <security-constraint>
                <web-resource-collection><web-resource-name>account</web-resource-name><url-pattern>/account/*</url-pattern></web-resource-collection>
                <auth-constraint><role-name>orders-user</role-name></auth-constraint>
              </security-constraint>
              <login-config>
                <auth-method>FORM</auth-method>
                <form-login-config>
                  <form-login-page>/login.html</form-login-page>
                  <form-error-page>/login-failed.html</form-error-page>
                </form-login-config>
              </login-config>
              <security-role><role-name>orders-user</role-name></security-role>
            </web-app>
            """;

    @Deployment(testable = false)
    static WebArchive ordersApp() {
        return Deployments.appReusingOurClasses("orders.war")
                .setWebXML(new StringAsset(WEB_XML))
                .addClass(OrdersServlet.class)
                .addAsWebResource(new StringAsset("<form method='post' action='j_security_check'>"
                        + "<input name='j_username'><input name='j_password' type='password'></form>"), "login.html")
                .addAsWebResource(new StringAsset("<p>Wrong name or password.</p>"), "login-failed.html")
                .addAsWebResource(new StringAsset("<p>Your orders.</p>"), "account/index.html");
    }

    @ArquillianResource
    URL base;

    @Test
    void aUserOfTheOtherApplicationsOwnLoginCreatesATokenThatOpensItsApiUntilRevoked() {
        Api browser = Api.browser(base);
        logIn(browser, CLERK, CLERK_PASSWORD);

        String token = browser.createToken(null);

        Api curl = Api.client(base);
        assertJson(curl.get("api/orders", Api.auth(token)), 200,
                "{\"user\": \"" + CLERK + "\", \"orders\": [], \"success\": true}");
        assertJson(curl.postJson("api/revoke_token", "{\"token\": \"" + token + "\"}", Api.auth(token)), 200,
                "{\"success\": true}");
        assertInvalidToken(curl.get("api/orders", Api.auth(token)));
    }

    @Test
    void aRequestWithoutATokenOrALoginIsRefused() {
        assertNotLoggedIn(Api.client(base).get("api/orders"));
        assertNotLoggedIn(Api.client(base).post("api/create_token", null));
    }

    @Test
    void aFailedLoginOfTheOtherApplicationGetsNoToken() {
        Api browser = Api.browser(base);
        assertEquals(200, browser.get("account/").status(), "the protected page should answer with the login form");
        Api.Reply failed = browser.postForm("j_security_check", "j_username", CLERK, "j_password", "wrong password");
        assertTrue(failed.body().contains("Wrong name or password."), failed::body);

        assertNotLoggedIn(browser.post("api/create_token", null));
    }

    /** The container's FORM login: ask for a protected page, post the form, be sent back to the page. */
    private static void logIn(Api browser, String username, String password) {
        Api.Reply form = browser.get("account/");
        assertTrue(form.body().contains("j_security_check"), () -> "expected the login form, got: " + form.body());
        Api.Reply login = browser.postForm("j_security_check", "j_username", username, "j_password", password);
        assertEquals(303, login.status(), () -> "login answered " + login.status() + ": " + login.body());
        assertEquals(200, browser.get("account/").status(), "the protected page should open after login");
    }
}
