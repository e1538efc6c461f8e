package dev.tokenauth.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The server's log files, read as an operator reads them, for what the application says at start-up. */
final class ServerLog {

    private static final long WAIT_MILLIS = 10_000;

    private ServerLog() {
    }

    /**
     * The first group of every match of {@code regex} in the server's logs, waiting a little for at least one:
     * both Tomcat and Payara write their log files from a background thread.
     */
    static List<String> awaitMatches(String regex) throws InterruptedException {
        Pattern pattern = Pattern.compile(regex);
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        List<String> found = matches(pattern);
        while (found.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            found = matches(pattern);
        }
        return found;
    }

    /** As {@link #awaitMatches} without waiting: what the logs hold now. */
    static List<String> matchesNow(String regex) {
        return matches(Pattern.compile(regex));
    }

    /**
     * The first group of every match of {@code regex}, per log file that has one, waiting a little for at least one:
     * Tomcat writes a line both to catalina.out and to its dated log, so "logged once" is once in each file.
     */
    static java.util.Map<Path, List<String>> awaitMatchesPerFile(String regex) throws InterruptedException {
        awaitMatches(regex);
        Pattern pattern = Pattern.compile(regex);
        java.util.Map<Path, List<String>> perFile = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(Deployments.serverLogs().toPath())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Matcher m = pattern.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    perFile.computeIfAbsent(file, f -> new ArrayList<>()).add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return perFile;
    }

    private static List<String> matches(Pattern pattern) {
        List<String> found = new ArrayList<>();
        Path dir = Deployments.serverLogs().toPath();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                // ISO-8859-1 reads any byte: a log is not always valid UTF-8, and we look for ASCII only.
                Matcher m = pattern.matcher(Files.readString(file, StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    found.add(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
