package dev.tokenauth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Set;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JPA provider in use is the one chosen for the container: on Tomcat the EclipseLink the WAR bundles, on
 * Payara the server's own (WEB-INF/glassfish-web.xml). The application names it in its start-up log line;
 * the expected provider and version come from the build (pom.xml), per container.
 */
@Tag("container")
@Tag("store")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class JpaProviderIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @Test
    void everyStartOfTheApplicationUsedTheJpaProviderChosenForThisContainer() throws Exception {
        String expected = System.getProperty("tokenauth.it.jpaProvider");

        List<String> providers = ServerLog.awaitMatches("JPA provider: (\\S+ \\S+ from the (?:application|server))");

        assertFalse(providers.isEmpty(), "the start-up log should name the JPA provider");
        assertEquals(Set.of(expected), Set.copyOf(providers), "JPA provider named at each start");
    }
}
