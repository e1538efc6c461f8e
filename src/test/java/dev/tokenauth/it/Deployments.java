package dev.tokenauth.it;

import java.io.File;

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
