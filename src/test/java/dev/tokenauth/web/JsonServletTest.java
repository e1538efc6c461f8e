package dev.tokenauth.web;

import dev.tokenauth.site.ErrorServlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.RecordedLogs;
import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.token.TokenRuleViolation;
import jakarta.servlet.DispatcherType;
import dev.tokenauth.token.ViolationKind;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** What the servlets answer when their work fails, and what reaches a client when something escapes them. */
class JsonServletTest {

    private final RecordedResponse recorded = new RecordedResponse();
    private HttpServletRequest request;
    private HttpServletResponse response;

    @BeforeEach
    void setUp() throws Exception {
        request = mock(HttpServletRequest.class);
        response = recorded.response();
        when(request.getMethod()).thenReturn("POST");
        when(request.getRequestURI()).thenReturn("/api/create_token");
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
        assertEquals(json, recorded.body());
    }

    @Test
    void serviceWhenTheStoreDoesNotAnswerThen503() throws Exception {
        failingWith(new StoreUnavailableException("token create", new IllegalStateException("db down")))
                .service(request, response);

        verifyJson(503, "{\"msg\":\"Service unavailable, try again later.\",\"success\":false}");
        assertFalse(recorded.body().contains("db down"));
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

    /** A GET servlet that answers with the method it saw, as whoami answers with the user. */
    private static JsonServlet answeringTheMethodItSees(String... methods) {
        return new JsonServlet(methods) {
            private static final long serialVersionUID = 1L;

            @Override
            protected void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
                JsonResponses.success(response, JsonFactories.object().add("method", request.getMethod()));
            }
        };
    }

    @Test
    void serviceWhenHeadOnAGetEndpointThenTheGetsStatusHeadersAndLengthWithoutABody() throws Exception {
        when(request.getMethod()).thenReturn("HEAD");
        when(response.getCharacterEncoding()).thenReturn("UTF-8");
        asCaller(Caller.byToken("alice", 7, Set.of("read")));

        answeringTheMethodItSees("GET").service(request, response);

        verify(response).setStatus(200);
        verify(response).setContentType("application/json");
        verify(response).setCharacterEncoding("UTF-8");
        verify(response).setContentLengthLong("{\"method\":\"GET\",\"success\":true}".length());
        verify(response, never()).getWriter();
        verify(response, never()).getOutputStream();
        assertEquals("", recorded.body());
    }

    @Test
    void serviceWhenHeadFromAWriteOnlyTokenThen403NamingReadWithoutABody() throws Exception {
        when(request.getMethod()).thenReturn("HEAD");
        when(response.getCharacterEncoding()).thenReturn("UTF-8");
        asCaller(Caller.byToken("alice", 7, Set.of("write")));

        answeringTheMethodItSees("GET").service(request, response);

        verify(response).setStatus(403);
        verify(response).setContentLengthLong("{\"msg\":\"This token lacks the scope 'read'.\",\"success\":false}"
                .length());
        verify(response, never()).getWriter();
    }

    @Test
    void theAllowHeaderListsHeadAfterGet() throws Exception {
        when(request.getMethod()).thenReturn("DELETE");

        answeringTheMethodItSees("GET", "POST").service(request, response);

        verify(response).setHeader("Allow", "GET, HEAD, POST");
        verifyJson(405, "{\"msg\":\"Method DELETE not allowed; use GET, HEAD, POST.\",\"success\":false}");
    }

    @Test
    void headOnAPostOnlyEndpointIsA405WithoutABody() throws Exception {
        when(request.getMethod()).thenReturn("HEAD");
        when(response.getCharacterEncoding()).thenReturn("UTF-8");

        failingWith(new IllegalStateException("the work ran")).service(request, response);

        verify(response).setHeader("Allow", "POST");
        verify(response).setStatus(405);
        verify(response, never()).getWriter();
    }

    @Test
    void createTokenDoesNotAnswerHeadSinceItWouldMakeATokenNoOneSees() throws Exception {
        when(request.getMethod()).thenReturn("HEAD");
        when(response.getCharacterEncoding()).thenReturn("UTF-8");
        asCaller(Caller.bySession("alice"));

        new CreateTokenServlet().service(request, response);

        verify(response).setHeader("Allow", "GET, POST");
        verify(response).setStatus(405);
        verify(response).setContentLengthLong("{\"msg\":\"Method HEAD not allowed; use GET, POST.\",\"success\":false}"
                .length());
    }

    @Test
    void createTokenBySessionGetFromABrowserThatNamesNoOriginIsA403PointingToPost() throws Exception {
        when(request.getMethod()).thenReturn("GET");
        when(request.getHeader("User-Agent")).thenReturn("Mozilla/5.0 (Windows NT 6.1; Trident/7.0; rv:11.0)");
        asCaller(Caller.bySession("alice"));

        new CreateTokenServlet().service(request, response);

        verifyJson(403, "{\"msg\":\"Cross-site request refused: create tokens with POST and the CSRF token.\","
                + "\"success\":false}");
    }

    @Test
    void serviceWhenTheWorkHasABugThen500AndOneLogLineNamingItNeverItsStackTrace() throws Exception {
        NullPointerException bug = new NullPointerException("Cannot invoke \"String.length()\"");
        bug.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("dev.tokenauth.persistence.JpaTokenStore", "create", "JpaTokenStore.java", 42)});

        try (RecordedLogs logs = RecordedLogs.of(Logger.getLogger(Faults.class.getName()))) {
            failingWith(bug).service(request, response);

            verifyJson(500, "{\"msg\":\"Internal server error.\",\"success\":false}");
            assertEquals(1, logs.records().size());
            LogRecord line = logs.records().get(0);
            assertEquals(Level.SEVERE, line.getLevel());
            assertEquals("Internal error on POST /api/create_token: NullPointerException: Cannot invoke"
                    + " \"String.length()\" at dev.tokenauth.persistence.JpaTokenStore.create(JpaTokenStore.java:42)",
                    line.getMessage());
            assertNull(line.getThrown(), "no stack trace");
        }
    }

    @Test
    void serviceWhenTheStoreDoesNotAnswerThenNoLogLine() throws Exception {
        try (RecordedLogs logs = RecordedLogs.of(Logger.getLogger(Faults.class.getName()))) {
            failingWith(new StoreUnavailableException("token create", new IllegalStateException("db down")))
                    .service(request, response);

            assertEquals(List.of(), logs.records(), "the store says so, once per outage");
        }
    }

    @Test
    void serviceWhenTheContainerRefusesUndecodableParametersThenItIsTheContainersToAnswerUnlogged() throws Exception {
        // Tomcat 11's own type, by its name: its message quotes the value, which may be a password.
        RuntimeException refusal = new ByteBuddy().subclass(IllegalStateException.class)
                .name(Faults.UNREADABLE_PARAMETERS).make()
                .load(getClass().getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded()
                .getConstructor(String.class).newInstance("Parameter [password] with value [secret%]");

        try (RecordedLogs logs = RecordedLogs.of(Logger.getLogger(Faults.class.getName()))) {
            assertSame(refusal, assertThrows(IllegalStateException.class,
                    () -> failingWith(refusal).service(request, response)));

            assertEquals(List.of(), logs.records());
            verify(response, never()).setStatus(500);
        }
    }

    @Test
    void anExceptionThatEscapesIsA500WithoutItsMessageOrStackTrace() throws Exception {
        when(request.getDispatcherType()).thenReturn(DispatcherType.ERROR);
        when(request.getAttribute(RequestDispatcher.ERROR_EXCEPTION))
                .thenReturn(new IllegalStateException("secret detail at dev.tokenauth.Something"));
        when(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE)).thenReturn(500);

        try (RecordedLogs logs = RecordedLogs.of(Logger.getLogger(Faults.class.getName()))) {
            new ErrorServlet().service(request, response);

            assertEquals(1, logs.records().size(), "one line: the container has logged the stack trace");
            assertNull(logs.records().get(0).getThrown());
        }
        verifyJson(500, "{\"msg\":\"Internal server error.\",\"success\":false}");
    }

    @Test
    void aContainerErrorStatusBecomesItsJsonAnswer() throws Exception {
        when(request.getDispatcherType()).thenReturn(DispatcherType.ERROR);
        when(request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE)).thenReturn(404);

        new ErrorServlet().service(request, response);

        verifyJson(404, "{\"msg\":\"Not found.\",\"success\":false}");
    }

    @Test
    void theErrorPageAskedForDirectlyIsA404() throws Exception {
        when(request.getDispatcherType()).thenReturn(DispatcherType.REQUEST);

        new ErrorServlet().service(request, response);

        verifyJson(404, "{\"msg\":\"Not found.\",\"success\":false}");
    }
}
