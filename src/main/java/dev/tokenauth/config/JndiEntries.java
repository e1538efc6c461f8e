package dev.tokenauth.config;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * The application's JNDI environment ({@code java:comp/env}) as a source of settings: where a server keeps what an
 * operator gives one application and not another on the same server (a secret above all), outside the WAR and the
 * process's environment. Without JNDI (a unit test, a bare JVM) there are no entries.
 */
final class JndiEntries {

    private static final JndiEntries NONE = new JndiEntries(null);

    private final Context environment;

    private JndiEntries(Context environment) {
        this.environment = environment;
    }

    /** The entries of the application whose thread this is (JNDI's {@code java:comp} is the calling application's). */
    static JndiEntries ofTheApplication() {
        try {
            return new JndiEntries((Context) new InitialContext().lookup("java:comp/env"));
        } catch (NamingException | ClassCastException | IllegalStateException e) {
            return NONE;
        }
    }

    /** The entry named {@code name} as text; null when there is none (or JNDI cannot say). */
    String get(String name) {
        if (environment == null) {
            return null;
        }
        try {
            Object value = environment.lookup(name);
            return value instanceof String || value instanceof Number || value instanceof Boolean ? value.toString()
                    : null;
        } catch (NamingException | RuntimeException e) {
            return null;
        }
    }
}
