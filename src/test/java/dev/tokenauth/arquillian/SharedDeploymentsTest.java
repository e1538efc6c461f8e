package dev.tokenauth.arquillian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

class SharedDeploymentsTest {

    /** The adapter underneath: records what reaches the server. */
    static final class RecordingAdapter implements DeployableContainer<ContainerConfiguration> {
        final List<String> calls = new ArrayList<>();

        @Override
        public Class<ContainerConfiguration> getConfigurationClass() {
            return ContainerConfiguration.class;
        }

        @Override
        public ProtocolDescription getDefaultProtocol() {
            return new ProtocolDescription("Servlet 6.0");
        }

        @Override
        public ProtocolMetaData deploy(Archive<?> archive) {
            calls.add("deploy " + archive.getName());
            return new ProtocolMetaData();
        }

        @Override
        public void undeploy(Archive<?> archive) {
            calls.add("undeploy " + archive.getName());
        }

        @Override
        public void stop() {
            calls.add("stop");
        }
    }

    private final RecordingAdapter adapter = new RecordingAdapter();
    private final SharedDeployments<ContainerConfiguration> shared = new SharedDeployments<>(adapter) {
    };

    private static WebArchive war(String name, String content) {
        return ShrinkWrap.create(WebArchive.class, name).addAsWebResource(new StringAsset(content), "index.html");
    }

    @Test
    void theSameArchiveDeployedByTheNextClassStaysDeployedAndKeepsItsMetaData() throws Exception {
        ProtocolMetaData first = shared.deploy(war("app.war", "a"));
        shared.undeploy(war("app.war", "a"));
        ProtocolMetaData second = shared.deploy(war("app.war", "a"));
        shared.undeploy(war("app.war", "a"));

        assertEquals(List.of("deploy app.war"), adapter.calls);
        assertSame(first, second);
    }

    @Test
    void anotherArchiveFirstUndeploysTheKeptOneSoThatOneApplicationAtATimeIsDeployed() throws Exception {
        shared.deploy(war("app.war", "a"));
        shared.undeploy(war("app.war", "a"));
        shared.deploy(war("shop.war", "s"));

        assertEquals(List.of("deploy app.war", "undeploy app.war", "deploy shop.war"), adapter.calls);
    }

    @Test
    void anArchiveOfTheSameNameWithOtherContentIsDeployedAnew() throws Exception {
        shared.deploy(war("app.war", "a"));
        shared.undeploy(war("app.war", "a"));
        shared.deploy(war("app.war", "a with other settings"));

        assertEquals(List.of("deploy app.war", "undeploy app.war", "deploy app.war"), adapter.calls);
    }

    @Test
    void aNeverSharedArchiveIsDeployedAndUndeployedEveryTime() throws Exception {
        String name = SharedDeployments.NEVER_SHARED_PREFIX + "app.war";
        shared.deploy(war("app.war", "a"));
        shared.undeploy(war("app.war", "a"));
        shared.deploy(war(name, "a"));
        shared.undeploy(war(name, "a"));
        shared.deploy(war(name, "a"));
        shared.undeploy(war(name, "a"));

        assertEquals(List.of("deploy app.war", "undeploy app.war", "deploy " + name, "undeploy " + name,
                "deploy " + name, "undeploy " + name), adapter.calls);
    }

    @Test
    void theEndOfTheRunUndeploysTheKeptArchiveBeforeTheServerStops() throws Exception {
        shared.deploy(war("app.war", "a"));
        shared.undeploy(war("app.war", "a"));
        shared.stop();

        assertEquals(List.of("deploy app.war", "undeploy app.war", "stop"), adapter.calls);
    }

    @Test
    void theDigestDependsOnPathsAndBytesAlone() {
        assertEquals(SharedDeployments.digest(war("app.war", "a")), SharedDeployments.digest(war("other.war", "a")));
        assertNotEquals(SharedDeployments.digest(war("app.war", "a")), SharedDeployments.digest(war("app.war", "b")));
        assertNotEquals(SharedDeployments.digest(war("app.war", "a")),
                SharedDeployments.digest(ShrinkWrap.create(WebArchive.class, "app.war")
                        .addAsWebResource(new StringAsset("a"), "other.html")));
    }
}
