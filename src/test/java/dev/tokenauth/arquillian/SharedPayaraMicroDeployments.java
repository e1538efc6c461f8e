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
}
