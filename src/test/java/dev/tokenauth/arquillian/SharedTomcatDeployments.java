package dev.tokenauth.arquillian;

import org.jboss.arquillian.container.tomcat.managed.Tomcat10ManagedContainer;
import org.jboss.arquillian.container.tomcat.managed.TomcatManagedConfiguration;

/** The Tomcat runs' adapter (Tomcat 10.1 and 11), keeping a deployment that the next class deploys again. */
public class SharedTomcatDeployments extends SharedDeployments<TomcatManagedConfiguration> {

    public SharedTomcatDeployments() {
        super(new Tomcat10ManagedContainer());
    }
}
