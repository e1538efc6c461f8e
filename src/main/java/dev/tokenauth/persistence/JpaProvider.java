package dev.tokenauth.persistence;

import jakarta.persistence.EntityManagerFactory;

/**
 * Names the JPA provider that actually runs the persistence unit and who supplied it. The WAR bundles
 * EclipseLink for servlet containers; a full Jakarta EE server such as Payara supplies its own, which then
 * wins (see WEB-INF/glassfish-web.xml). The start-up log says which, so an operator never has to guess.
 */
final class JpaProvider {

    private static final String ECLIPSELINK_VERSION = "org.eclipse.persistence.Version";

    private JpaProvider() {
    }

    /** For example {@code EclipseLink 4.0.9 from the application} or {@code EclipseLink 4.0.7.payara-p1 from the server}. */
    static String describe(EntityManagerFactory factory) {
        Class<?> implementation = factory.getClass();
        ClassLoader loader = implementation.getClassLoader();
        String origin = loader == JpaProvider.class.getClassLoader() ? "from the application" : "from the server";
        return name(implementation, loader) + " " + origin;
    }

    private static String name(Class<?> implementation, ClassLoader loader) {
        try {
            // Read through the provider's own class loader: that is the version that runs, whatever else is on the path.
            Object version = Class.forName(ECLIPSELINK_VERSION, true, loader).getMethod("getVersion").invoke(null);
            return "EclipseLink " + version;
        } catch (ReflectiveOperationException | LinkageError e) {
            return implementation.getName(); // not EclipseLink: its factory's class names it
        }
    }
}
