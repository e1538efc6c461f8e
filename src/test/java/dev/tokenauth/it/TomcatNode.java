package dev.tokenauth.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One stock Tomcat 10.1 of the several-nodes run, started by the test as an operator would start it ({@code
 * bin/catalina.sh run} on a CATALINA_BASE of its own, made from the postgresql run's: its {@code conf/} files and the
 * JDBC driver in its {@code lib/}; the built WAR as {@code webapps/ROOT.war}, settings as system properties, {@code
 * webapp-config/tomcat/catalina.properties} appended to {@code conf/catalina.properties}),
 * and stopped gracefully (SIGTERM, Tomcat's shutdown hook) or killed ({@code kill -9}). Its console output,
 * everything Tomcat and the application log, is kept in {@code logs/console.log}.
 */
final class TomcatNode implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final String name;
    private final Path base;
    private final int httpPort;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private Process process;

    /**
     * @param serverXml and {@code contextXml} (or null for none): the files the node runs with
     */
    TomcatNode(String name, int httpPort, Path serverXml, Path contextXml) {
        this.name = name;
        this.httpPort = httpPort;
        this.base = Path.of(System.getProperty("tokenauth.it.nodesDir")).resolve(name);
        try {
            if (!Files.exists(base.resolve("conf"))) {
                Path template = Path.of(System.getProperty("tokenauth.it.catalinaBase"));
                for (String dir : List.of("conf", "lib", "logs", "temp", "webapps", "work",
                        "conf/Catalina/localhost")) {
                    Files.createDirectories(base.resolve(dir));
                }
                for (String file : List.of("catalina.policy", "catalina.properties", "jaspic-providers.xml",
                        "logging.properties", "tomcat-users.xml", "web.xml")) {
                    Files.copy(template.resolve("conf").resolve(file), base.resolve("conf").resolve(file),
                            StandardCopyOption.REPLACE_EXISTING);
                }
                try (Stream<Path> jars = Files.list(template.resolve("lib"))) {
                    for (Path jar : jars.toList()) {
                        Files.copy(jar, base.resolve("lib").resolve(jar.getFileName()),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                }
                // As README tells operators: the lines of webapp-config/tomcat/catalina.properties appended.
                Files.write(base.resolve("conf/catalina.properties"), ("\n" + Files.readString(
                        repoFile("webapp-config/tomcat/catalina.properties"))).getBytes(StandardCharsets.ISO_8859_1),
                        StandardOpenOption.APPEND);
                // Tomcat's stock context.xml: the test's own settings are the node's, not the postgresql run's.
                Files.writeString(base.resolve("conf/context.xml"), "<Context>\n"
                        + "  <WatchedResource>WEB-INF/web.xml</WatchedResource>\n</Context>\n");
            }
            Files.copy(serverXml, base.resolve("conf/server.xml"), StandardCopyOption.REPLACE_EXISTING);
            Path rootXml = base.resolve("conf/Catalina/localhost/ROOT.xml");
            if (contextXml != null) {
                Files.copy(contextXml, rootXml, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(rootXml);
            }
            Files.copy(Path.of(System.getProperty("tokenauth.it.war")), base.resolve("webapps/ROOT.war"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        property("tokenauth.admin.password", Deployments.adminPassword());
        property("tokenauth.data.dir", base.resolve("data").toString());
    }

    static Path catalinaHome() {
        return Path.of(System.getProperty("tokenauth.it.catalinaHome"));
    }

    /** A file of the repository, as an operator would copy it: {@code webapp-config/...} or {@code src/test/...}. */
    static Path repoFile(String path) {
        return Path.of(System.getProperty("tokenauth.it.basedir")).resolve(path);
    }

    /** A Java system property of the node's JVM: a tokenauth setting, or a value its server.xml reads. */
    TomcatNode property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    String name() {
        return name;
    }

    URL url() {
        try {
            return URI.create("http://127.0.0.1:" + httpPort + "/").toURL();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application deployed at {@code /<path>}. */
    URL url(String path) {
        try {
            return url().toURI().resolve(path + "/").toURL();
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Path base() {
        return base;
    }

    /** Starts the JVM; {@link #awaitReady} waits for the application. */
    TomcatNode start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        List<String> opts = new ArrayList<>(List.of("-Xmx384m"));
        properties.forEach((k, v) -> opts.add("-D" + k + "=" + v));
        ProcessBuilder builder = new ProcessBuilder("bash", catalinaHome().resolve("bin/catalina.sh").toString(), "run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        builder.environment().put("CATALINA_HOME", catalinaHome().toString());
        builder.environment().put("CATALINA_BASE", base.toString());
        builder.environment().put("CATALINA_OUT", log().toString());
        builder.environment().put("CATALINA_OPTS", String.join(" ", opts));
        builder.environment().remove("JAVA_OPTS");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Waits until {@code /health/ready} answers 200; fails with the node's log otherwise. */
    TomcatNode awaitReady() {
        return awaitReady("");
    }

    /**
     * Also deploys the built WAR at {@code /<path>}, with {@code contextXml} as its context file
     * ({@code conf/Catalina/localhost/<path>.xml}). Before {@link #start}.
     */
    TomcatNode deploy(String path, String contextXml) {
        try {
            Files.writeString(base.resolve("conf/Catalina/localhost/" + path + ".xml"), contextXml);
            Files.copy(Path.of(System.getProperty("tokenauth.it.war")), base.resolve("webapps/" + path + ".war"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** No application at the root, only those {@link #deploy}ed. Before {@link #start}. */
    TomcatNode withoutRoot() {
        try {
            Files.deleteIfExists(base.resolve("webapps/ROOT.war"));
            Files.deleteIfExists(base.resolve("conf/Catalina/localhost/ROOT.xml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Waits until {@code /<contextPath>health/ready} answers 200 ({@code ""}: the root application's). */
    TomcatNode awaitReady(String contextPath) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + logText());
            }
            try {
                int status = client.send(HttpRequest.newBuilder(url().toURI().resolve(contextPath + "health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return this;
                }
            } catch (IOException | java.net.URISyntaxException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new AssertionError(name + " not ready after " + START_TIMEOUT + ":\n" + logText());
    }

    /** A graceful stop, as an init system does: SIGTERM, then Tomcat's shutdown hook stops every application. */
    void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        awaitExit();
    }

    /** {@code kill -9}: no shutdown hook, nothing flushed, as a crash or the OOM killer. */
    void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    Path log() {
        return base.resolve("logs/console.log");
    }

    String logText() {
        try {
            return Files.exists(log()) ? Files.readString(log(), StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log's lines from {@code fromLine} on that hold {@code text}. */
    List<String> logLines(int fromLine, java.util.function.Predicate<String> which) {
        try (Stream<String> lines = Files.lines(log(), StandardCharsets.ISO_8859_1)) {
            return lines.skip(fromLine).filter(which).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int logLineCount() {
        if (!Files.exists(log())) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(log(), StandardCharsets.ISO_8859_1)) {
            return (int) lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return name + " (" + url() + ")";
    }
}
