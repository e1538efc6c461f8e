package dev.tokenauth.persistence;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * A DataSource that the server offers the application by JNDI name, so that an operator points tokenauth at
 * any database by configuring the server alone (its pool, its driver, its password), with no setting in the
 * WAR. A name without a {@code java:} prefix is tried in the component environment first
 * ({@code java:comp/env/<name>}: a Tomcat context.xml {@code Resource} or a web.xml {@code resource-ref}),
 * then as given (a global name, as Payara's {@code asadmin create-jdbc-resource} makes).
 */
record ContainerDataSource(String jndiName, DataSource dataSource) {

    /** The value of {@code tokenauth.datasource} that turns the look-up off. */
    static final String NONE = "none";

    /** One JNDI look-up; a seam for tests, which have no naming service. */
    @FunctionalInterface
    interface Jndi {
        Object lookup(String name) throws NamingException;
    }

    static final Jndi INITIAL_CONTEXT = name -> {
        InitialContext context = new InitialContext();
        try {
            return context.lookup(name);
        } finally {
            context.close();
        }
    };

    ContainerDataSource {
        Objects.requireNonNull(jndiName, "jndiName");
        Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The DataSource bound to {@code name}, or empty when there is none (or {@code name} is {@code none}).
     *
     * @param required true when the name was configured rather than defaulted: then a missing DataSource is a
     *                 configuration error, not a reason to fall back silently to another database
     * @throws IllegalStateException when {@code required} and nothing is bound, or when what is bound is not a
     *                               DataSource
     */
    static Optional<ContainerDataSource> find(String name, boolean required, Jndi jndi) {
        if (NONE.equalsIgnoreCase(name)) {
            return Optional.empty();
        }
        List<String> candidates = name.startsWith("java:") ? List.of(name) : List.of("java:comp/env/" + name, name);
        for (String candidate : candidates) {
            Object bound;
            try {
                bound = jndi.lookup(candidate);
            } catch (NamingException e) {
                continue; // not bound there, or no naming service at all: try the next name
            }
            if (bound instanceof DataSource dataSource) {
                return Optional.of(new ContainerDataSource(candidate, dataSource));
            }
            if (bound != null) {
                throw new IllegalStateException("JNDI name " + candidate + " (tokenauth.datasource) is bound to a "
                        + bound.getClass().getName() + ", not a javax.sql.DataSource");
            }
        }
        if (required) {
            throw new IllegalStateException("No DataSource is bound to " + String.join(" or ", candidates)
                    + " (tokenauth.datasource); set it to '" + NONE + "' to use tokenauth.db.url or embedded Derby");
        }
        return Optional.empty();
    }
}
