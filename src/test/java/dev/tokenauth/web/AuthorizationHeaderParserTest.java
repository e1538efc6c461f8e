package dev.tokenauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorizationHeaderParserTest {

    private final AuthorizationHeaderParser tokenOnly = new AuthorizationHeaderParser(false);
    private final AuthorizationHeaderParser withBearer = new AuthorizationHeaderParser(true);

    static Stream<Arguments> acceptedTokenHeaders() {
        return Stream.of(
                Arguments.of("Token abc", "abc"),
                Arguments.of("token abc", "abc"),
                Arguments.of("TOKEN abc", "abc"),
                Arguments.of("ToKeN abc", "abc"),
                Arguments.of("Token   abc", "abc"),
                Arguments.of(" Token abc ", "abc"),
                Arguments.of("\tToken abc\t", "abc"),
                Arguments.of("Token tka_AZaz09", "tka_AZaz09"),
                Arguments.of("Token a.b_c~d+e/f-g", "a.b_c~d+e/f-g"),
                Arguments.of("Token abc==", "abc=="));
    }

    @ParameterizedTest
    @MethodSource("acceptedTokenHeaders")
    void parseOfATokenHeaderGivesItsCredentials(String header, String credentials) {
        assertEquals(Optional.of(credentials), tokenOnly.parse(header), "header [" + header + "]");
        assertEquals(Optional.of(credentials), withBearer.parse(header), "header [" + header + "] with Bearer on");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer abc", "bearer abc", "BEARER abc", "Bearer   abc", " Bearer abc "})
    void parseOfABearerHeaderGivesItsCredentialsWhenBearerIsAllowed(String header) {
        assertEquals(Optional.of("abc"), withBearer.parse(header), "header [" + header + "]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer abc", "bearer abc", "BEARER abc"})
    void parseOfABearerHeaderIsEmptyWhenBearerIsNotAllowed(String header) {
        assertEquals(Optional.empty(), tokenOnly.parse(header), "header [" + header + "]");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        " ",
        "Token",
        "Token ",
        "Token  ",
        "abc",
        " abc",
        "Basic abc",
        "Basic YWxpY2U6c2VjcmV0",
        "Digest abc",
        "Tokens abc",
        "Tok abc",
        "Token a b",
        "Token abc def",
        "Token abc$",
        "Token ab\"c",
        "Token \"abc\"",
        "Token ab,c",
        "Token a=bc",
        "Token =abc",
        "Token abc realm=x",
        "Token\tabc",
        "Token \tabc",
        "Token\u00a0abc",
        "Token abc\u00e9",
        "Token,abc",
        "Token abc, Token def",
    })
    void parseIsEmptyForAnythingButOneSchemeThenSpacesThenOneToken68(String header) {
        assertEquals(Optional.empty(), tokenOnly.parse(header), "header [" + header + "]");
        assertEquals(Optional.empty(), withBearer.parse(header), "header [" + header + "] with Bearer on");
    }

    @Test
    void parseIsEmptyForAHeaderLongerThanMaxLength() {
        String header = "Token " + "a".repeat(AuthorizationHeaderParser.MAX_LENGTH - "Token ".length() + 1);
        assertEquals(AuthorizationHeaderParser.MAX_LENGTH + 1, header.length());

        assertEquals(Optional.empty(), tokenOnly.parse(header));
    }

    @Test
    void parseAcceptsAHeaderOfExactlyMaxLength() {
        String credentials = "a".repeat(AuthorizationHeaderParser.MAX_LENGTH - "Token ".length());
        String header = "Token " + credentials;
        assertEquals(512, header.length());

        assertEquals(Optional.of(credentials), tokenOnly.parse(header));
    }

    @Test
    void maxLengthIs512() {
        assertEquals(512, AuthorizationHeaderParser.MAX_LENGTH);
    }

    /** The grammar as the parser's regular expression said it before it scanned by hand. */
    private static final Pattern GRAMMAR = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+) +([A-Za-z0-9._~+/-]+=*)");

    private static Optional<String> byTheGrammar(String header, boolean allowBearer) {
        Matcher m = GRAMMAR.matcher(header.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String scheme = m.group(1);
        return scheme.equalsIgnoreCase("Token") || (allowBearer && scheme.equalsIgnoreCase("Bearer"))
                ? Optional.of(m.group(2)) : Optional.empty();
    }

    @Test
    void parseAgreesWithTheGrammarsRegularExpressionOnAHundredThousandHeadersOfItsCharacters() {
        // Characters that matter to the grammar: each class, its edges, white space of every kind, '=' and ':'.
        String alphabet = "Tokenbear TOKENBEARaz09 =/+-._~!#$%&'*^`|:;,\"\t\u00a0\u2003\u0000\u00e9";
        Random random = new Random(42);
        for (int n = 0; n < 100_000; n++) {
            StringBuilder header = new StringBuilder();
            if (random.nextInt(3) > 0) {
                header.append(random.nextBoolean() ? "Token" : random.nextBoolean() ? "bearer" : "tOkEn");
                header.append(" ".repeat(random.nextInt(3)));
            }
            for (int i = random.nextInt(12); i > 0; i--) {
                header.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String h = header.toString();
            assertEquals(byTheGrammar(h, false), tokenOnly.parse(h), h);
            assertEquals(byTheGrammar(h, true), withBearer.parse(h), h);
        }
    }
}
