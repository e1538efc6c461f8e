package dev.tokenauth.arquillian;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Puts {@link SharedDeployments} in place of the run's container adapter. Each failsafe execution has exactly one
 * adapter on its class path (pom.xml removes the other), so this looks for each by name and wraps the one present.
 */
public class SharedDeploymentsExtension implements LoadableExtension {

    private static final String TOMCAT = "org.jboss.arquillian.container.tomcat.managed.Tomcat10ManagedContainer";
    private static final String PAYARA_MICRO = "fish.payara.arquillian.container.payara.managed.PayaraMicroDeployableContainer";

    @Override
    public void register(ExtensionBuilder builder) {
        if (present(TOMCAT)) {
            builder.override(DeployableContainer.class, adapter(TOMCAT), SharedTomcatDeployments.class);
        }
        if (present(PAYARA_MICRO)) {
            builder.override(DeployableContainer.class, adapter(PAYARA_MICRO), SharedPayaraMicroDeployments.class);
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, SharedDeploymentsExtension.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends DeployableContainer<?>> adapter(String className) {
        try {
            return (Class<? extends DeployableContainer<?>>) Class.forName(className, false,
                    SharedDeploymentsExtension.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
