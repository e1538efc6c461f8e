package dev.tokenauth.web;

import dev.tokenauth.site.ErrorServlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.token.TokenRuleViolation;
import dev.tokenauth.token.ViolationKind;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** What the servlets answer when their work fails, and what reaches a client when something escapes them. */
class JsonServletTest {

    private final StringWriter body = new StringWriter();
    private HttpServletRequest request;
    private HttpServletResponse response;

    @BeforeEach
    void setUp() throws Exception {
        request = mock(HttpServletRequest.class);
        response = mock(HttpServletResponse.class);
        when(request.getMethod()).thenReturn("POST");
        when(request.getRequestURI()).thenReturn("/api/create_token");
        when(response.getWriter()).thenReturn(new PrintWriter(body));
    }

    /** A servlet whose work ends with {@code failure}. */
    private static JsonServlet failingWith(RuntimeException failure) {
        return new JsonServlet("POST") {
            private static final long serialVersionUID = 1L;

            @Override
            protected void handle(HttpServletRequest request, HttpServletResponse response) {
                throw failure;
            }
        };
    }

    private void verifyJson(int status, String json) {
        verify(response).setStatus(status);
        verify(response).setContentType("application/json");
        verify(response).setCharacterEncoding("UTF-8");
        assertEquals(json, body.toString());
    }

    @Test
    void serviceWhenTheStoreDoesNotAnswerThen503() throws Exception {
        failingWith(new StoreUnavailableException("token create", new IllegalStateException("db down")))
                .service(request, response);

        verifyJson(503, "{\"msg\":\"Service unavailable, try again later.\",\"success\":false}");
        assertFalse(body.toString().contains("db down"));
    }

    @Test
    void serviceWhenATokenRuleIsBrokenThenItsStatusAndMessage() throws Exception {
        failingWith(new TokenRuleViolation(ViolationKind.LIMIT_REACHED, "Token limit reached (10)."))
                .service(request, response);

        verifyJson(409, "{\"msg\":\"Token limit reached (10).\",\"success\":false}");
    }

    @Test
    void serviceWhenTheMethodIsNotAllowedThen405WithAllowAndTheWorkNeverRuns() throws Exception {
        when(request.getMethod()).thenReturn("DELETE");

        failingWith(new IllegalStateException("the work ran")).service(request, response);

        verify(response).setHeader("Allow", "POST");
        verifyJson(405, "{\"msg\":\"Method DELETE not allowed; use POST.\",\"success\":false}");
    }

    /** A servlet that serves GET and POST and says so when its work runs. */
    private JsonServlet answeringOk() {
        return new JsonServlet("GET", "POST") {
            private static final long serialVersionUID = 1L;

            @Override
            protected void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
                JsonResponses.success(response, JsonFactories.object());
            }
        };
    }

    private void asCaller(Caller caller) {
        when(request.getAttribute(Caller.class.getName())).thenReturn(caller);
    }

    @Test
    void serviceWhenAReadOnlyTokenPostsThen403NamingTheScopeAndTheWorkNeverRuns() throws Exception {
        asCaller(Caller.byToken("alice", 7, Set.of("read")));

        failingWith(new IllegalStateException("the work ran")).service(request, response);

        verifyJson(403, "{\"msg\":\"This token lacks the scope 'write'.\",\"success\":false}");
    }

    @Test
    void serviceWhenAReadOnlyTokenGetsThenTheWorkRuns() throws Exception {
        when(request.getMethod()).thenReturn("GET");
        asCaller(Caller.byToken("alice", 7, Set.of("read")));

        answeringOk().service(request, response);

        verifyJson(200, "{\"success\":true}");
    }

    @Test
    void serviceWhenAWriteOnlyTokenGetsThen403NamingRead() throws Exception {
        when(request.getMethod()).thenReturn("GET");
        asCaller(Caller.byToken("alice", 7, Set.of("write")));

        answeringOk().service(request, response);

        verifyJson(403, "{\"msg\":\"This token lacks the scope 'read'.\",\"success\":false}");
    }

    @Test
    void serviceWhenALoginSessionPostsThenItHasEveryScope() throws Exception {
        asCaller(Caller.bySession("alice"));

        answeringOk().service(request, response);

        verifyJson(200, "{\"success\":true}");
    }

    @Test
    void createTokenNeedsWriteEvenOnAGet() throws Exception {
        when(request.getMethod()).thenReturn("GET");
        asCaller(Caller.byToken("alice", 7, Set.of("read")));

        new CreateTokenServlet().service(request, response);

        verifyJson(403, "{\"msg\":\"This token lacks the scope 'write'.\",\"success\":false}");
    }

    @Test
    void anExceptionThatEscapesIsA500WithoutItsMessageOrStackTrace() throws Exception {
        when(request.getAttribute(RequestDispatcher.ERROR_EXCEPTION))
                .thenReturn(new IllegalStateException("secret detail at dev.tokenauth.Something"));
        when(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE)).thenReturn(500);

        new ErrorServlet().service(request, response);

        verifyJson(500, "{\"msg\":\"Internal server error.\",\"success\":false}");
    }

    @Test
    void aContainerErrorStatusBecomesItsJsonAnswer() throws Exception {
        when(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE)).thenReturn(404);

        new ErrorServlet().service(request, response);

        verifyJson(404, "{\"msg\":\"Not found.\",\"success\":false}");
    }
}
