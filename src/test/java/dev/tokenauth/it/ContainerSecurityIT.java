package dev.tokenauth.it;

import static dev.tokenauth.it.ApiAssertions.assertInvalidToken;
import static dev.tokenauth.it.ApiAssertions.assertNotLoggedIn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
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

import jakarta.json.Json;

/**
 * An application that protects a resource with the container's own security ({@code <security-constraint>} on
 * /secure/*, role {@code write}) and asks tokenauth to authenticate tokens in the container
 * ({@code tokenauth.container.security}, a Jakarta Authentication module): a token with the scope passes and the
 * resource's {@code getUserPrincipal} and {@code isUserInRole} see its owner and scopes; a read-only token is 403; no
 * token, or a bad one, is the filter's 401 JSON.
 */
@Tag("container")
@ExtendWith(ArquillianExtension.class)
@Order(Deployments.OWN_ARCHIVE)
@RunAsClient
class ContainerSecurityIT {

    private static final String WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <context-param><param-name>tokenauth.container.security</param-name><param-value>true</param-value></context-param>
              <context-param><param-name>tokenauth.session.attribute</param-name><param-value>currentUser</param-value></context-param>
              <servlet><servlet-name>SignIn</servlet-name><servlet-class>dev.tokenauth.it.ShopLoginServlet</servlet-class></servlet>
              <servlet><servlet-name>Roles</servlet-name><servlet-class>dev.tokenauth.it.RolesServlet</servlet-class></servlet>
              <servlet-mapping><servlet-name>SignIn</servlet-name><url-pattern>/signin</url-pattern></servlet-mapping>
              <servlet-mapping><servlet-name>Roles</servlet-name><url-pattern>/secure/roles</url-pattern></servlet-mapping>
              <security-constraint>
                <web-resource-collection><web-resource-name>secure</web-resource-name><url-pattern>/secure/*</url-pattern></web-resource-collection>
                <auth-constraint><role-name>write</role-name></auth-constraint>
              </security-constraint>
              <security-role><role-name>read</role-name></security-role>
              <security-role><role-name>write</role-name></security-role>
              <security-role><role-name>admin</role-name></security-role>
            </web-app>
            """;

    @Deployment(testable = false)
    static WebArchive securedApp() {
        return Deployments.appReusingOurClasses("secured.war")
                .setWebXML(new StringAsset(WEB_XML))
                .addClasses(RolesServlet.class, ShopLoginServlet.class);
    }

    @ArquillianResource
    URL base;

    private String token(String username, String body) {
        Api browser = Api.browser(base);
        assertEquals(204, browser.postForm("signin", "username", username, "password", ShopLoginServlet.PASSWORD)
                .status());
        Api.Reply created = browser.postJson("api/create_token", body);
        assertEquals(200, created.status(), created.body());
        return created.json().getString("token");
    }

    @Test
    void aTokenWithTheRolesScopePassesTheConstraintAndTheResourceSeesItsOwnerAndScopesAsRoles() {
        String token = token("writer", "{}");

        Api.Reply reply = Api.client(base).get("secure/roles", Api.auth(token));

        assertEquals(200, reply.status(), reply.body());
        assertEquals(Json.createReader(new StringReader(
                "{\"principal\":\"writer\",\"read\":true,\"write\":true,\"admin\":false}")).readObject(), reply.json());
    }

    @Test
    void aTokenWithoutTheScopeIsForbiddenByTheConstraint() {
        String token = token("reader", "{\"scopes\": [\"read\"]}");

        assertEquals(403, Api.client(base).get("secure/roles", Api.auth(token)).status());
    }

    @Test
    void noTokenOrABadOneGetsTheFiltersAnswers() {
        assertNotLoggedIn(Api.client(base).get("secure/roles"));
        assertInvalidToken(Api.client(base).get("secure/roles", Api.auth("tka_not-a-token")));
    }
}
