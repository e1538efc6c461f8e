package dev.tokenauth.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.jboss.shrinkwrap.api.Filters;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Order;

import dev.tokenauth.arquillian.SharedDeployments;

/** The WAR under test: the very file {@code mvn package} built, not a reassembly of its classes. */
final class Deployments {

    static final String ADMIN = "admin";

    /**
     * The {@code @Order} of the classes that deploy an archive other than the built WAR: they run after all the
     * classes that share it (failsafe orders classes by {@code @Order}), so that the shared deployment is made once.
     */
    static final int OWN_ARCHIVE = Order.DEFAULT + 1;

    /** The {@code @Order} of a class that must run after all others of its run (it stops the run's database). */
    static final int LAST = Order.DEFAULT + 2;

    private Deployments() {
    }

    /** The built WAR; test classes that deploy it share one deployment in a row (see {@link SharedDeployments}). */
    static WebArchive builtWar() {
        File war = new File(System.getProperty("tokenauth.it.war", "target/tokenauth.war"));
        return ShrinkWrap.createFromZipFile(WebArchive.class, war);
    }

    /**
     * The built WAR with {@code settings} added to its descriptor as context parameters, as an operator would set
     * them in the WAR; on the Tomcats they override the test servers' context.xml parameters of the same name.
     */
    static WebArchive builtWarWith(Map<String, ?> settings) {
        WebArchive war = builtWar();
        String webXml;
        try (InputStream in = war.get("WEB-INF/web.xml").getAsset().openStream()) {
            webXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String marker = "<display-name>tokenauth</display-name>";
        if (!webXml.contains(marker)) {
            throw new AssertionError("the built web.xml has no " + marker);
        }
        StringBuilder params = new StringBuilder();
        settings.forEach((name, value) -> params.append("<context-param><param-name>").append(name)
                .append("</param-name><param-value>").append(value).append("</param-value></context-param>"));
        war.delete("WEB-INF/web.xml");
        return war.setWebXML(new StringAsset(webXml.replace(marker, marker + params)));
    }

    /** The built WAR under a name of its own, deployed and undeployed exactly when its test says, never shared. */
    static WebArchive builtWarNeverShared() {
        return ShrinkWrap.create(WebArchive.class, SharedDeployments.NEVER_SHARED_PREFIX + "tokenauth.war")
                .merge(builtWar());
    }

    /**
     * Another application's WAR, named {@code warName}, that reuses us as its developers would: our classes jar,
     * and the jar's own dependencies (EclipseLink, Derby, JSON) that its build brings in, here taken from our WAR,
     * where they are the same jars. The caller adds its own web.xml and classes.
     */
    static WebArchive appReusingOurClasses(String warName) {
        WebArchive app = ShrinkWrap.create(WebArchive.class, warName)
                .addAsLibrary(new File(System.getProperty("tokenauth.it.classesJar")));
        builtWar().getContent(Filters.include("/WEB-INF/lib/.*\\.jar"))
                .forEach((path, node) -> app.add(node.getAsset(), path));
        return app;
    }

    static String adminPassword() {
        return System.getProperty("tokenauth.it.adminPassword");
    }

    static File dataDir() {
        return new File(System.getProperty("tokenauth.it.dataDir"));
    }

    /** The directory of the server's log files: Tomcat's logs/, or the one Payara Micro was told to log to. */
    static File serverLogs() {
        return new File(System.getProperty("tokenauth.it.serverLogs"));
    }
}
