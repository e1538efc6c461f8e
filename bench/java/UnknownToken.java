import java.security.SecureRandom;

import dev.tokenauth.token.TokenFormat;

/**
 * Prints a token that is well formed (prefix, length, alphabet and checksum all right) but was never issued, made
 * by the application's own TokenFormat so that it passes the format check and costs the server a lookup.
 * Run with the WAR's WEB-INF/classes on the class path: java -cp classes UnknownToken.java
 */
public class UnknownToken {

    public static void main(String[] args) {
        String token = TokenFormat.generate(new SecureRandom());
        if (!TokenFormat.isWellFormed(token)) {
            throw new IllegalStateException("TokenFormat.generate made a token that isWellFormed refuses: " + token);
        }
        System.out.println(token);
    }
}
