package dev.tokenauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.metrics.Outcomes;
import dev.tokenauth.throttle.FailureThrottle;
import dev.tokenauth.token.AuthenticatedToken;
import dev.tokenauth.token.TokenAuthenticator;
import jakarta.security.auth.message.AuthStatus;
import jakarta.security.auth.message.MessageInfo;
import jakarta.security.auth.message.callback.CallerPrincipalCallback;
import jakarta.security.auth.message.callback.GroupPrincipalCallback;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The container's token authentication, answer by answer: the filter's answers, and the caller it hands over. */
class TokenServerAuthModuleTest {

    private static final String GOOD = "tka_good";

    private final List<Callback> handled = new ArrayList<>();
    private final Map<String, Object> messageMap = new HashMap<>();
    private final RecordedResponse recorded = new RecordedResponse();
    private TokenAuthenticator tokens;
    private HttpServletRequest request;
    private HttpServletResponse response;
    private MessageInfo message;
    private TokenServerAuthModule module;
    private final Subject client = new Subject();

    @BeforeEach
    void setUp() throws Exception {
        tokens = mock(TokenAuthenticator.class);
        when(tokens.authenticate(any(), any())).thenReturn(Optional.empty());
        when(tokens.authenticate(GOOD, "192.0.2.7"))
                .thenReturn(Optional.of(new AuthenticatedToken(7, "alice", Set.of("read", "write"))));
        request = mock(HttpServletRequest.class);
        when(request.getRemoteAddr()).thenReturn("192.0.2.7");
        when(request.getHeaders("Authorization")).thenReturn(Collections.emptyEnumeration());
        response = recorded.response();
        message = mock(MessageInfo.class);
        when(message.getRequestMessage()).thenReturn(request);
        when(message.getResponseMessage()).thenReturn(response);
        when(message.getMap()).thenReturn(messageMap);
        module = new TokenServerAuthModule(new TokenGate(tokens, false,
                FailureThrottle.of(3, java.time.Duration.ofMinutes(3)), new TokenRefusals("api"), Outcomes.NONE),
                "alice"::equals);
        CallbackHandler handler = callbacks -> handled.addAll(List.of(callbacks));
        module.initialize(null, null, handler, Map.of());
    }

    private void header(String value) {
        when(request.getHeaders("Authorization")).thenReturn(Collections.enumeration(List.of(value)));
    }

    private void mandatory() {
        messageMap.put("jakarta.security.auth.message.MessagePolicy.isMandatory", "true");
    }

    @Test
    void aGoodTokenMakesItsOwnerTheCallerWithItsScopesAndAdminAsRoles() throws Exception {
        header("Token " + GOOD);
        mandatory();

        assertEquals(AuthStatus.SUCCESS, module.validateRequest(message, client, null));

        assertEquals("alice", ((CallerPrincipalCallback) handled.get(0)).getName());
        assertEquals(List.of("admin", "read", "write"), List.of(((GroupPrincipalCallback) handled.get(1)).getGroups()));
    }

    @Test
    void noTokenWhereNothingRequiresAUserGoesOnAsAnonymous() throws Exception {
        assertEquals(AuthStatus.SUCCESS, module.validateRequest(message, client, null));

        assertEquals(1, handled.size());
        assertNull(((CallerPrincipalCallback) handled.get(0)).getPrincipal());
        verify(response, never()).setStatus(401);
    }

    @Test
    void noTokenWhereAConstraintRequiresAUserIsTheFiltersNotLoggedIn() throws Exception {
        mandatory();

        assertEquals(AuthStatus.SEND_FAILURE, module.validateRequest(message, client, null));

        verify(response).setStatus(401);
        verify(response).setHeader("WWW-Authenticate", "Token realm=\"api\"");
        verify(response).setHeader("Cache-Control", "no-store");
        assertEquals("{\"msg\":\"Not logged in.\",\"success\":false}", recorded.body());
        assertEquals(List.of(), handled);
    }

    @Test
    void everyBadTokenGetsTheOneInvalidTokenAnswerConstraintOrNot() throws Exception {
        for (String bad : List.of("Token tka_unknown", "Basic YWxpY2U6cHc=", "Token")) {
            recorded.clearBody();
            header(bad);

            assertEquals(AuthStatus.SEND_FAILURE, module.validateRequest(message, client, null), bad);

            assertEquals("{\"msg\":\"Invalid token.\",\"success\":false}", recorded.body(), bad);
        }
        assertEquals(List.of(), handled);
    }

    @Test
    void failedTokensAreThrottledPerAddressAsByTheFilterEvenAGoodOneThen() throws Exception {
        for (int i = 0; i < 3; i++) {
            header("Token tka_unknown-" + i);
            assertEquals(AuthStatus.SEND_FAILURE, module.validateRequest(message, client, null));
        }
        verify(tokens).addressThrottled(org.mockito.ArgumentMatchers.eq("192.0.2.7"), any());
        recorded.clearBody();
        header("Token " + GOOD);

        assertEquals(AuthStatus.SEND_FAILURE, module.validateRequest(message, client, null));

        verify(response).setStatus(429);
        verify(response).setHeader(org.mockito.ArgumentMatchers.eq("Retry-After"), any());
        assertEquals(true, recorded.body().startsWith("{\"msg\":\"Too many failed token attempts from your address"),
                recorded.body());
        assertEquals(List.of(), handled);
    }

    @Test
    void aGoodTokenIsMarkedOnTheRequestSoThatTheFilterBehindDoesNotCheckItAgain() throws Exception {
        Map<String, Object> attributes = new HashMap<>();
        org.mockito.Mockito.doAnswer(i -> attributes.put(i.getArgument(0), i.getArgument(1))).when(request)
                .setAttribute(any(), any());
        when(request.getAttribute(any())).thenAnswer(i -> attributes.get(i.<String>getArgument(0)));
        header("Token " + GOOD);

        module.validateRequest(message, client, null);

        assertEquals(Optional.of(new TokenGate.Passed(new AuthenticatedToken(7, "alice", Set.of("read", "write")))),
                TokenServerAuthModule.passed(request));
        verify(tokens).authenticate(GOOD, "192.0.2.7");
    }

    @Test
    void aBadTokenLeavesNoMarkOnTheRequest() throws Exception {
        header("Token tka_unknown");

        module.validateRequest(message, client, null);

        verify(request, never()).setAttribute(any(), any());
    }
}
