package dev.tokenauth.arquillian;

import fish.payara.arquillian.container.payara.managed.PayaraMicroContainerConfiguration;
import fish.payara.arquillian.container.payara.managed.PayaraMicroDeployableContainer;

/**
 * The Payara runs' adapter, keeping a deployment that the next class deploys again: the managed adapter boots a
 * Payara Micro process with each deployment and stops it with the undeploy, so a kept deployment is a boot saved.
 */
public class SharedPayaraMicroDeployments extends SharedDeployments<PayaraMicroContainerConfiguration> {

    public SharedPayaraMicroDeployments() {
        super(new PayaraMicroDeployableContainer());
    }

    /**
     * The adapter's undeploy sends SIGTERM to the server process and returns at once; the next class's server would
     * then boot on the same embedded database while the old one's shutdown hook still writes into it, and Derby
     * refuses a database another JVM has open ("Failed to start database"). So: wait for the old process to end.
     */
    @Override
    protected void undeployNow(org.jboss.shrinkwrap.api.Archive<?> archive)
            throws org.jboss.arquillian.container.spi.client.container.DeploymentException {
        java.util.List<ProcessHandle> servers = ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains("payara-micro"))
                .toList();
        super.undeployNow(archive);
        for (ProcessHandle server : servers) {
            try {
                server.onExit().get(90, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new org.jboss.arquillian.container.spi.client.container.DeploymentException(
                        "the Payara Micro process " + server.pid() + " did not end within 90 s of its undeploy", e);
            }
        }
    }
}
