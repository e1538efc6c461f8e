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
import java.util.List;
import java.util.stream.Stream;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A token's plaintext is in the response that creates it and nowhere on the server's disk. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SecretsAtRestIT {

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

        List<Path> files = new ArrayList<>(filesUnder(Deployments.dataDir().toPath()));
        files.addAll(filesUnder(Deployments.serverLogs().toPath()));
        // A database that is not in the data directory (the postgresql run's server) is named to the test.
        String databaseFiles = System.getProperty("tokenauth.it.databaseFiles");
        if (databaseFiles != null) {
            files.addAll(filesUnder(Path.of(databaseFiles).toRealPath()));
        }

        boolean digestSeen = false;
        for (Path file : files) {
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
