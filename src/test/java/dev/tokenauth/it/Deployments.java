package dev.tokenauth.it;

import java.io.File;

import org.jboss.shrinkwrap.api.Filters;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The WAR under test: the very file {@code mvn package} built, not a reassembly of its classes. */
final class Deployments {

    static final String ADMIN = "admin";

    private Deployments() {
    }

    static WebArchive builtWar() {
        File war = new File(System.getProperty("tokenauth.it.war", "target/tokenauth.war"));
        return ShrinkWrap.createFromZipFile(WebArchive.class, war);
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
