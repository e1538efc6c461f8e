package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static dev.tokenauth.it.ApiAssertions.assertJson;
import static dev.tokenauth.it.ApiAssertions.assertNotLoggedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Another application that logs its users in itself and keeps the name in a session attribute of its own
 * ({@code currentUser}, told to us by {@code tokenauth.session.attribute}): that user creates tokens, and the
 * tokens open the application's own API. Unlike a container login, this needs nothing of the server, so it runs
 * on every server.
 */
@ExtendWith(ArquillianExtension.class)
@Order(Deployments.OWN_ARCHIVE)
@RunAsClient
class ReuseWithTheAppsOwnSessionLoginIT {

    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0" metadata-complete="true">
              <context-param><param-name>tokenauth.session.attribute</param-name><param-value>currentUser</param-value></context-param>
              <listener><listener-class>dev.tokenauth.app.TokenAuthApplication</listener-class></listener>

              <filter>
                <filter-name>TokenAuth</filter-name>
                <filter-class>dev.tokenauth.web.TokenAuthFilter</filter-class>
              </filter>
              <filter-mapping><filter-name>TokenAuth</filter-name><url-pattern>/api/*</url-pattern></filter-mapping>

              <servlet><servlet-name>SignIn</servlet-name><servlet-class>dev.tokenauth.it.ShopLoginServlet</servlet-class></servlet>
              <servlet><servlet-name>Orders</servlet-name><servlet-class>dev.tokenauth.it.OrdersServlet</servlet-class></servlet>
              <servlet><servlet-name>CreateToken</servlet-name><servlet-class>dev.tokenauth.web.CreateTokenServlet</servlet-class></servlet>
              <servlet><servlet-name>RevokeToken</servlet-name><servlet-class>dev.tokenauth.web.RevokeTokenServlet</servlet-class></servlet>
              <servlet-mapping><servlet-name>SignIn</servlet-name><url-pattern>/signin</url-pattern></servlet-mapping>
              <servlet-mapping><servlet-name>Orders</servlet-name><url-pattern>/api/orders</url-pattern></servlet-mapping>
              <servlet-mapping><servlet-name>CreateToken</servlet-name><url-pattern>/api/create_token</url-pattern></servlet-mapping>
              <servlet-mapping><servlet-name>RevokeToken</servlet-name><url-pattern>/api/revoke_token</url-pattern></servlet-mapping>
            </web-app>
            """;

    @Deployment(testable = false)
    static WebArchive shopApp() {
        return Deployments.appReusingOurClasses("shop.war")
                .setWebXML(new StringAsset(WEB_XML))
                .addClasses(OrdersServlet.class, ShopLoginServlet.class);
    }

    @ArquillianResource
    URL base;

    private static Api signedIn(URL base, String username) {
        Api browser = Api.browser(base);
        Api.Reply signIn = browser.postForm("signin", "username", username, "password", ShopLoginServlet.PASSWORD);
        assertEquals(204, signIn.status(), signIn::body);
        return browser;
    }

    @Test
    void theApplicationsOwnSessionUserIsTheApisUserAndCreatesTokensThatWorkUntilRevoked() {
        Api browser = signedIn(base, "shopper");
        assertJson(browser.get("api/orders"), 200, "{\"user\": \"shopper\", \"orders\": [], \"success\": true}");

        String token = browser.createToken(null);

        Api curl = Api.client(base);
        assertJson(curl.get("api/orders", Api.auth(token)), 200,
                "{\"user\": \"shopper\", \"orders\": [], \"success\": true}");
        assertJson(curl.postJson("api/revoke_token", "{\"token\": \"" + token + "\"}", Api.auth(token)), 200,
                "{\"success\": true}");
        assertInvalidToken(curl.get("api/orders", Api.auth(token)));
    }

    @Test
    void withoutTheApplicationsLoginNothingIsLetThrough() {
        Api browser = Api.browser(base);
        assertEquals(401, browser.postForm("signin", "username", "shopper", "password", "wrong").status());

        assertNotLoggedIn(browser.get("api/orders"));
        assertNotLoggedIn(browser.post("api/create_token", null));
    }
}
