package dev.tokenauth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A token's plaintext is in the response that creates it and nowhere on the server's disk; nor is a password, and
 * neither is in the server's own answers to requests it refuses.
 */
@Tag("container")
@Tag("store")
@Tag("datasource")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SecretsAtRestIT {

    private static final byte[] NO_BODY = new byte[0];

    /** What the servers' own pages and headers name themselves with: "Apache Tomcat/11.0.24", "Payara Micro 6...". */
    private static final Pattern SERVER_VERSION = Pattern.compile("Tomcat|Payara (Micro|Server) \\d");

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL base;

    @Test
    void noTokenPlaintextIsInTheDatabaseFilesOrTheServerLogsButItsDigestIs() throws Exception {
        String alice = Users.create(base, "alice");
        Api curl = Api.client(base);
        String first = Api.browser(base).login(alice, Users.PASSWORD).createToken(null);
        String second = curl.createToken(first);
        curl.postJson("api/revoke_token", "{\"token\":\"" + first + "\"}", Api.auth(second));
        curl.get("api/whoami", "Authorization", "Token " + first); // a refused token is not logged either
        List<String> secrets = List.of(first, second);

        boolean digestSeen = false;
        for (Path file : serverFiles()) {
            byte[] bytes = Files.readAllBytes(file);
            for (String secret : secrets) {
                String body = secret.substring(4); // the random part, which no display prefix could explain
                assertFalse(contains(bytes, body.getBytes(StandardCharsets.UTF_8)), "token plaintext found in " + file);
                assertFalse(contains(bytes, body.getBytes(StandardCharsets.UTF_16BE)), "token plaintext found in " + file);
            }
            digestSeen |= contains(bytes, sha256Hex(second).getBytes(StandardCharsets.UTF_8));
        }
        // Proves the scan reads what the database wrote: the digest stored for the token is found.
        assertTrue(digestSeen, "the stored digest should be found in the database files");
    }

    @Test
    void theTokenListNeverShowsASecretOrADigest() {
        String alice = Users.create(base, "alice");
        String token = Api.browser(base).login(alice, Users.PASSWORD).createToken(null);

        Api.Reply reply = Api.client(base).get("api/tokens", Api.auth(token));

        assertEquals(200, reply.status());
        assertFalse(reply.body().contains(token.substring(10)), reply.body());
        assertFalse(reply.body().contains(sha256Hex(token)), reply.body());
        assertEquals(token.substring(0, 10),
                reply.json().getJsonArray("tokens").getJsonObject(0).getString("display_prefix"));
        assertEquals("session", reply.json().getJsonArray("tokens").getJsonObject(0).getString("created_by"));
    }

    /**
     * Requests a server refuses before the application sees them, or cannot decode, each holding a valid token or a
     * password: the server's own log lines and error answers once quoted them (Tomcat: "The HTTP header line
     * [authorization:Token tka_...] does not conform to RFC 7230", "Parameter [password] with value [...]", an error
     * page with the header, a stack trace and the server's version). With the configuration we ship, no log file
     * and no answer holds the token's secret part or the password.
     */
    @Test
    void aTokenOrAPasswordInARequestTheServerRefusesOrCannotDecodeIsInNoLogFileAndNoAnswer() throws Exception {
        String alice = Users.create(base, "alice");
        String token = Api.browser(base).login(alice, Users.PASSWORD).createToken(null);
        // No one's password: only whether it is written anywhere counts.
        String password = "pw-" + UUID.randomUUID();
        byte[] form = "Content-Type: application/x-www-form-urlencoded".getBytes(StandardCharsets.ISO_8859_1);
        Map<String, String> answers = new LinkedHashMap<>();

        for (char control : new char[] {'\0', '\u000b', '\r'}) {
            answers.put("a token followed by U+" + HexFormat.of().toHexDigits(control), RawHttp.send(base, "GET",
                    "api/whoami", NO_BODY, RawHttp.header("Authorization: Token " + token + control + "x")));
        }
        String overLimit = "a".repeat(32 * 1024);
        answers.put("an Authorization header over the size limit", RawHttp.send(base, "GET", "api/whoami", NO_BODY,
                RawHttp.header("Authorization: Token " + token + " " + overLimit)));
        answers.put("a token in headers over the size limit", RawHttp.send(base, "GET", "api/whoami", NO_BODY,
                RawHttp.header("Authorization: Token " + token), RawHttp.header("X-Padding: " + overLimit)));
        answers.put("an undecodable name before a password", RawHttp.send(base, "POST", "login",
                bytes("username=%ZZ&password=" + password + "%"), form));
        answers.put("an undecodable password", RawHttp.send(base, "POST", "login",
                bytes("username=" + alice + "&password=" + password + "%"), form));
        answers.put("a token in the URL", RawHttp.send(base, "GET", "api/whoami?token=" + token, NO_BODY));
        answers.put("a password in the URL", RawHttp.send(base, "POST",
                "login?username=" + alice + "&password=" + password, NO_BODY));

        awaitLogsWrittenUpToNow(alice, token);
        List<String> secrets = List.of(token.substring(10, 30), token.substring(token.length() - 20), password);
        for (Path file : serverFiles()) {
            byte[] bytes = Files.readAllBytes(file);
            for (String secret : secrets) {
                assertFalse(contains(bytes, secret.getBytes(StandardCharsets.UTF_8)), secret + " found in " + file);
                assertFalse(contains(bytes, secret.getBytes(StandardCharsets.UTF_16BE)), secret + " found in " + file);
            }
        }
        answers.forEach((request, answer) -> {
            int status = RawHttp.status(answer);
            assertTrue(status >= 400 && status < 500, request + " answered " + status + ":\n" + answer);
            for (String secret : secrets) {
                assertFalse(answer.contains(secret), request + " answered with " + secret + ":\n" + answer);
            }
            assertFalse(answer.contains("Exception") || answer.contains(".java:"),
                    request + " answered with a stack trace:\n" + answer);
            assertFalse(SERVER_VERSION.matcher(answer).find(), request + " answered with the server's version:\n"
                    + answer);
        });
    }

    /**
     * Waits until the server's log files hold what this test's requests made them write: the audit line of a token
     * created after them (the application's log, written in order from a background thread), and where the server
     * keeps an access log, the path of a request made after them.
     */
    private void awaitLogsWrittenUpToNow(String user, String token) throws IOException, InterruptedException {
        String marker = Api.client(base).createToken(token);
        boolean accessLog = filesUnder(Deployments.serverLogs().toPath()).stream()
                .anyMatch(f -> f.getFileName().toString().contains("access_log"));
        String markerPath = "no-such-page-" + UUID.randomUUID();
        Api.client(base).get(markerPath);
        assertFalse(ServerLog.awaitMatches("AUDIT TOKEN_CREATED user=" + Pattern.quote(user) + " token=(\\d+) \\("
                + Pattern.quote(marker.substring(0, 10)) + "\\)").isEmpty(), "the audit line of the marker token");
        if (accessLog) {
            assertFalse(ServerLog.awaitMatches("(" + Pattern.quote(markerPath) + ")").isEmpty(),
                    "the access log line of " + markerPath);
        }
    }

    /** Every file the server writes: its logs, the data directory, and the database's own files where named. */
    private static List<Path> serverFiles() throws IOException {
        List<Path> files = new ArrayList<>(filesUnder(Deployments.dataDir().toPath()));
        files.addAll(filesUnder(Deployments.serverLogs().toPath()));
        // A database that is not in the data directory (the postgresql run's server) is named to the test.
        String databaseFiles = System.getProperty("tokenauth.it.databaseFiles");
        if (databaseFiles != null) {
            files.addAll(filesUnder(Path.of(databaseFiles).toRealPath()));
        }
        return files;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
