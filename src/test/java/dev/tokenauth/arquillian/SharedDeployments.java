package dev.tokenauth.arquillian;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

import org.jboss.arquillian.container.spi.client.container.ContainerConfiguration;
import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.container.spi.client.container.DeploymentException;
import org.jboss.arquillian.container.spi.client.container.LifecycleException;
import org.jboss.arquillian.container.spi.client.protocol.ProtocolDescription;
import org.jboss.arquillian.container.spi.client.protocol.metadata.ProtocolMetaData;
import org.jboss.shrinkwrap.api.Archive;
import org.jboss.shrinkwrap.api.ArchivePath;
import org.jboss.shrinkwrap.api.Node;
import org.jboss.shrinkwrap.api.asset.Asset;
import org.jboss.shrinkwrap.descriptor.api.Descriptor;

/**
 * The run's container adapter, made to keep a deployment for the next test class when that class deploys the very
 * same archive (same name, same bytes): Arquillian deploys and undeploys per class, and on Payara Micro, whose
 * managed adapter starts a server process with each deployment, that is a server boot per class. The undeploy at
 * the end of a class is held back; the next class that deploys another archive, or the end of the run, carries
 * it out first, so that one application at a time is deployed, as before.
 *
 * <p>What the classes share is the application's memory (sessions, caches, queues), never data that they did not
 * already share: every class of a run always had the run's one database. Each test makes its own users and tokens.
 * A test that must see a real undeploy and deploy (state read back from the database after a restart) deploys an
 * archive whose name starts with {@link #NEVER_SHARED_PREFIX}: it is undeployed at once, every time.
 */
public abstract class SharedDeployments<C extends ContainerConfiguration> implements DeployableContainer<C> {

    /** Archives named so are deployed and undeployed exactly when Arquillian says, never kept. */
    public static final String NEVER_SHARED_PREFIX = "unshared-";

    private static final Logger LOG = Logger.getLogger(SharedDeployments.class.getName());

    private final DeployableContainer<C> adapter;
    private Kept kept;

    protected SharedDeployments(DeployableContainer<C> adapter) {
        this.adapter = adapter;
    }

    /** A deployment held for the next class: its archive, a digest of the archive's content, what deploy said. */
    private record Kept(Archive<?> archive, String digest, ProtocolMetaData metaData, boolean undeployRequested) {
        Kept withUndeployRequested(boolean requested) {
            return new Kept(archive, digest, metaData, requested);
        }
    }

    @Override
    public Class<C> getConfigurationClass() {
        return adapter.getConfigurationClass();
    }

    @Override
    public void setup(C configuration) {
        adapter.setup(configuration);
    }

    @Override
    public void start() throws LifecycleException {
        adapter.start();
    }

    @Override
    public void stop() throws LifecycleException {
        try {
            undeployKept();
        } catch (DeploymentException e) {
            throw new LifecycleException("could not undeploy " + kept.archive().getName() + " at the end of the run", e);
        } finally {
            adapter.stop();
        }
    }

    @Override
    public ProtocolDescription getDefaultProtocol() {
        return adapter.getDefaultProtocol();
    }

    @Override
    public ProtocolMetaData deploy(Archive<?> archive) throws DeploymentException {
        if (archive.getName().startsWith(NEVER_SHARED_PREFIX)) {
            undeployKept();
            return adapter.deploy(archive);
        }
        String digest = digest(archive);
        if (kept != null && kept.undeployRequested() && kept.archive().getName().equals(archive.getName())
                && kept.digest().equals(digest)) {
            LOG.info(() -> "Keeping " + archive.getName() + " deployed for the next test class: the same archive");
            kept = kept.withUndeployRequested(false);
            return kept.metaData();
        }
        undeployKept();
        ProtocolMetaData metaData = adapter.deploy(archive);
        kept = new Kept(archive, digest, metaData, false);
        return metaData;
    }

    @Override
    public void undeploy(Archive<?> archive) throws DeploymentException {
        if (kept != null && !kept.undeployRequested() && kept.archive().getName().equals(archive.getName())) {
            kept = kept.withUndeployRequested(true);
            return;
        }
        undeployNow(archive);
    }

    @Override
    public void deploy(Descriptor descriptor) throws DeploymentException {
        adapter.deploy(descriptor);
    }

    @Override
    public void undeploy(Descriptor descriptor) throws DeploymentException {
        adapter.undeploy(descriptor);
    }

    private void undeployKept() throws DeploymentException {
        if (kept == null) {
            return;
        }
        Kept leaving = kept;
        kept = null;
        undeployNow(leaving.archive());
    }

    /**
     * The adapter's undeploy; a server whose undeploy only begins its stop (Payara Micro's adapter sends SIGTERM and
     * returns) waits here until it has stopped, as an operator's restart does.
     */
    protected void undeployNow(Archive<?> archive) throws DeploymentException {
        adapter.undeploy(archive);
    }

    /** SHA-256 over every entry's path and the SHA-256 of its bytes, in path order: equal for equal content. */
    static String digest(Archive<?> archive) {
        Map<String, Asset> assets = new TreeMap<>();
        for (Map.Entry<ArchivePath, Node> entry : archive.getContent().entrySet()) {
            Asset asset = entry.getValue().getAsset();
            if (asset != null) {
                assets.put(entry.getKey().get(), asset);
            }
        }
        MessageDigest whole = sha256();
        byte[] buffer = new byte[64 * 1024];
        for (Map.Entry<String, Asset> entry : assets.entrySet()) {
            MessageDigest one = sha256();
            try (InputStream in = entry.getValue().openStream()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    one.update(buffer, 0, n);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            whole.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
            whole.update((byte) 0);
            whole.update(one.digest());
        }
        return HexFormat.of().formatHex(whole.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
