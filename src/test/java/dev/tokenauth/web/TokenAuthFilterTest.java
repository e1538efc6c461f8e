package dev.tokenauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import java.security.Principal;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.ArgumentCaptor;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.metrics.Metrics;
import dev.tokenauth.metrics.Outcomes;
import dev.tokenauth.token.AuthenticatedToken;
import dev.tokenauth.token.TokenAuthenticator;
import dev.tokenauth.user.AccountStatus;
import dev.tokenauth.token.TokenFormat;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.FilterChain;
import dev.tokenauth.config.BadSetting;
import dev.tokenauth.config.Settings;
import dev.tokenauth.config.TokenAuthConfig;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

class TokenAuthFilterTest {

    private static final String TOKEN = TokenFormat.generate(new SecureRandom());
    private static final long TOKEN_ID = 7;
    private static final Set<String> SCOPES = Set.of("read");
    private static final String REMOTE_ADDRESS = "192.0.2.10";
    private static final String CHALLENGE = "Token realm=\"api\"";

    private final Map<String, List<String>> requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, Object> requestAttributes = new HashMap<>();
    private final Map<String, String> initParams = new HashMap<>();
    private final RecordedResponse recorded = new RecordedResponse();
    private final Map<String, String> responseHeaders = recorded.headers();
    private final List<Integer> statuses = recorded.statuses();

    private HttpServletRequest request;
    private HttpServletResponse response;
    private FilterChain chain;
    private FilterConfig filterConfig;
    private ServletContext context;
    private TokenAuthenticator authenticator;
    private AccountStatus accounts = AccountStatus.ALL_ENABLED;
    private Outcomes outcomes = Outcomes.NONE;

    @BeforeEach
    void setUp() throws Exception {
        request = mock(HttpServletRequest.class);
        when(request.getHeaders(anyString())).thenAnswer(
                inv -> Collections.enumeration(requestHeaders.getOrDefault(inv.getArgument(0), List.of())));
        when(request.getHeader(anyString())).thenAnswer(inv -> {
            List<String> values = requestHeaders.get(inv.<String>getArgument(0));
            return values == null ? null : values.get(0);
        });
        when(request.getAttribute(anyString())).thenAnswer(inv -> requestAttributes.get(inv.<String>getArgument(0)));
        doAnswer(inv -> requestAttributes.put(inv.getArgument(0), inv.getArgument(1)))
                .when(request).setAttribute(anyString(), any());
        when(request.getScheme()).thenReturn("https");
        when(request.getRemoteAddr()).thenReturn(REMOTE_ADDRESS);
        header("Host", "api.example.com");

        response = recorded.response();

        chain = mock(FilterChain.class);

        context = mock(ServletContext.class);
        filterConfig = mock(FilterConfig.class);
        when(filterConfig.getServletContext()).thenReturn(context);
        when(filterConfig.getFilterName()).thenReturn("TokenAuth");
        when(filterConfig.getInitParameter(anyString())).thenAnswer(inv -> initParams.get(inv.<String>getArgument(0)));
        when(filterConfig.getInitParameterNames()).thenAnswer(inv -> Collections.enumeration(initParams.keySet()));

        authenticator = mock(TokenAuthenticator.class);
        when(authenticator.authenticate(TOKEN, REMOTE_ADDRESS))
                .thenReturn(Optional.of(new AuthenticatedToken(TOKEN_ID, "alice", SCOPES)));
    }

    // --- no credentials -------------------------------------------------------------------------------------

    @Test
    void doFilterWhenNoAuthorizationHeaderAndNoSessionThenNotLoggedIn() throws Exception {
        runFilter();

        verifyUnauthorized("Not logged in.");
        verifyNoInteractions(authenticator);
    }

    // --- a token is presented -------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "Token", "Token ", "Basic YWxpY2U6c2VjcmV0", "Token a b", "Token abc$", "Token\tabc",
        "Bearer abc"})
    void doFilterWhenAuthorizationHeaderIsUnparseableThenInvalidTokenAndOnlyTheRefusalNoted(String value)
            throws Exception {
        header("Authorization", value);

        runFilter();

        verifyUnauthorized("Invalid token.");
        verifyOnlyTheUnusableHeaderWasNoted();
    }

    @Test
    void doFilterWhenBearerTokenAndBearerNotAllowedThenInvalidTokenAndOnlyTheRefusalNoted() throws Exception {
        header("Authorization", "Bearer " + TOKEN);

        runFilter();

        verifyUnauthorized("Invalid token.");
        verifyOnlyTheUnusableHeaderWasNoted();
    }

    @Test
    void doFilterWhenTokenIsUnknownThenInvalidToken() throws Exception {
        String unknown = TokenFormat.generate(new SecureRandom());
        header("Authorization", "Token " + unknown);

        runFilter();

        verifyUnauthorized("Invalid token.");
        verify(authenticator).authenticate(unknown, REMOTE_ADDRESS);
    }

    @Test
    void doFilterWhenTwoAuthorizationHeadersThenInvalidTokenAndOnlyTheRefusalNoted() throws Exception {
        header("Authorization", "Token " + TOKEN, "Token " + TOKEN);

        runFilter();

        verifyUnauthorized("Invalid token.");
        verifyOnlyTheUnusableHeaderWasNoted();
    }

    @Test
    void doFilterWhenValidTokenThenChainSeesTheOwnerAuthenticatedByToken() throws Exception {
        when(request.isUserInRole("admin")).thenReturn(true);
        header("Authorization", "Token " + TOKEN);

        runFilter();

        HttpServletRequest passed = passedOnRequest();
        assertEquals("alice", passed.getRemoteUser());
        assertEquals("alice", passed.getUserPrincipal().getName());
        assertEquals("TOKEN", passed.getAuthType());
        assertEquals(Optional.of(Caller.byToken("alice", TOKEN_ID, SCOPES)), Caller.of(passed));
        assertFalse(passed.isUserInRole("admin"), "a token carries no container roles");
        verify(authenticator).authenticate(TOKEN, REMOTE_ADDRESS);
        assertEquals(List.of(), statuses, "no status should be set on a request that passes");
        assertEquals(Map.of("Cache-Control", "no-store"), responseHeaders);
        assertEquals("", recorded.body(), "the filter should write nothing on a request that passes");
    }

    @Test
    void doFilterWhenSchemeIsInAnotherCaseThenTheTokenIsAccepted() throws Exception {
        header("Authorization", "tOkEn " + TOKEN);

        runFilter();

        assertEquals("alice", passedOnRequest().getRemoteUser());
    }

    @Test
    void doFilterWhenStoreIsUnavailableThenServiceUnavailableAndChainNeverCalled() throws Exception {
        when(authenticator.authenticate(TOKEN, REMOTE_ADDRESS)).thenThrow(new StoreUnavailableException("findActive", null));
        header("Authorization", "Token " + TOKEN);

        runFilter();

        verifyRefused(503, "Service unavailable, try again later.");
        assertEquals(Map.of("Cache-Control", "no-store"), responseHeaders, "a 503 carries no challenge");
    }

    @Test
    void doFilterWhenBadTokenAndSessionUserThenInvalidTokenAndSessionNeverConsulted() throws Exception {
        HttpSession session = sessionOf("bob");
        header("Authorization", "Token " + TokenFormat.generate(new SecureRandom()));

        runFilter();

        verifyUnauthorized("Invalid token.");
        verify(request, never()).getSession();
        verify(request, never()).getSession(anyBoolean());
        verify(request, never()).getUserPrincipal();
        verifyNoInteractions(session);
    }

    @Test
    void doFilterWhenUnparseableHeaderAndSessionUserThenInvalidTokenAndSessionNeverConsulted() throws Exception {
        sessionOf("bob");
        header("Authorization", "Basic Ym9iOnNlY3JldA==");

        runFilter();

        verifyUnauthorized("Invalid token.");
        verify(request, never()).getSession(anyBoolean());
        verifyOnlyTheUnusableHeaderWasNoted();
    }

    @Test
    void doFilterWhenValidTokenAndAnotherSessionUserThenTheTokensOwnerWins() throws Exception {
        sessionOf("bob");
        header("Authorization", "Token " + TOKEN);

        runFilter();

        HttpServletRequest passed = passedOnRequest();
        assertEquals("alice", passed.getRemoteUser());
        assertEquals(Optional.of(Caller.byToken("alice", TOKEN_ID, SCOPES)), Caller.of(passed));
        verify(request, never()).getSession(anyBoolean());
    }

    @Test
    void doFilterWhenValidTokenAndAContainerPrincipalThenTheTokensOwnerWins() throws Exception {
        Principal container = () -> "carol";
        when(request.getUserPrincipal()).thenReturn(container);
        when(request.isUserInRole("admin")).thenReturn(true);
        header("Authorization", "Token " + TOKEN);

        runFilter();

        HttpServletRequest passed = passedOnRequest();
        assertEquals("alice", passed.getRemoteUser());
        assertEquals("alice", passed.getUserPrincipal().getName());
        assertFalse(passed.isUserInRole("admin"), "the token must not inherit carol's roles");
    }

    // --- a login session ------------------------------------------------------------------------------------

    @Test
    void doFilterWhenSessionUserAndNoAuthorizationThenChainSeesTheSessionUser() throws Exception {
        sessionOf("alice");

        runFilter();

        HttpServletRequest passed = passedOnRequest();
        assertEquals("alice", passed.getRemoteUser());
        assertEquals("alice", passed.getUserPrincipal().getName());
        assertEquals(Optional.of(Caller.bySession("alice")), Caller.of(passed));
        assertNull(passed.getAuthType(), "a session of our own login is not TOKEN auth");
        verifyNoInteractions(authenticator);
        assertEquals(List.of(), statuses);
        assertEquals(Map.of("Cache-Control", "no-store"), responseHeaders);
    }

    @Test
    void doFilterWhenSessionWithoutUserThenNotLoggedIn() throws Exception {
        HttpSession session = mock(HttpSession.class);
        when(request.getSession(false)).thenReturn(session);

        runFilter();

        verifyUnauthorized("Not logged in.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cross-site", "same-site"})
    void doFilterWhenSessionUserAndCrossSiteThenForbidden(String site) throws Exception {
        sessionOf("alice");
        header("Sec-Fetch-Site", site);

        runFilter();

        verifyRefused(403, "Cross-site request refused.");
        assertEquals(Map.of("Cache-Control", "no-store"), responseHeaders, "a 403 carries no challenge");
        verifyNoInteractions(authenticator);
    }

    @Test
    void doFilterWhenSessionUserAndForeignOriginThenForbidden() throws Exception {
        sessionOf("alice");
        header("Origin", "https://evil.example");

        runFilter();

        verifyRefused(403, "Cross-site request refused.");
    }

    @Test
    void doFilterWhenSessionUserAndSameOriginThenChainCalled() throws Exception {
        sessionOf("alice");
        header("Sec-Fetch-Site", "same-origin");
        header("Origin", "https://api.example.com");

        runFilter();

        assertEquals("alice", passedOnRequest().getRemoteUser());
    }

    @Test
    void doFilterWhenContainerPrincipalThenChainSeesThatPrincipal() throws Exception {
        Principal container = () -> "carol";
        when(request.getUserPrincipal()).thenReturn(container);
        when(request.getAuthType()).thenReturn("FORM");
        when(request.isUserInRole("admin")).thenReturn(true);

        runFilter();

        HttpServletRequest passed = passedOnRequest();
        assertSame(container, passed.getUserPrincipal(), "the container's principal should be kept");
        assertEquals("carol", passed.getRemoteUser());
        assertEquals("FORM", passed.getAuthType());
        assertTrue(passed.isUserInRole("admin"), "the container's roles should be kept");
        assertEquals(Optional.of(Caller.bySession("carol")), Caller.of(passed));
        verifyNoInteractions(authenticator);
    }

    @Test
    void doFilterWhenContainerPrincipalAndCrossSiteThenForbidden() throws Exception {
        when(request.getUserPrincipal()).thenReturn(() -> "carol");
        header("Sec-Fetch-Site", "cross-site");

        runFilter();

        verifyRefused(403, "Cross-site request refused.");
    }

    // --- configuration --------------------------------------------------------------------------------------

    @Test
    void initWhenTheApplicationsServicesAreMissingThenServletExceptionSayingWhatToRegister() {
        TokenAuthFilter filter = new TokenAuthFilter();

        ServletException e = assertThrows(ServletException.class, () -> filter.init(filterConfig));
        assertEquals("No tokenauth services in the servlet context: register dev.tokenauth.app.TokenAuthApplication as "
                + "a listener", e.getMessage());
    }

    @Test
    void initWhenTheApplicationsGuardIsPublishedThenItsGateIsUsed() throws Exception {
        TokenGuard guard = new TokenGuard(gate(), dev.tokenauth.user.AccountStatus.ALL_ENABLED, sessionLogin());
        when(context.getAttribute(TokenGuard.class.getName())).thenReturn(guard);
        TokenAuthFilter filter = new TokenAuthFilter();
        filter.init(filterConfig);
        header("Authorization", "Token " + TOKEN);

        filter.doFilter(request, response, chain);

        assertEquals("alice", passedOnRequest().getRemoteUser());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tokenauth.auth.bearer", "tokenauth.auth.realm", "tokenauth.throttle.token.address",
        "tokenauth.session.attribute"})
    void initWhenATokenauthSettingIsAnInitParameterThenServletExceptionNamingItSinceEveryEntryPointMustAgree(
            String name) {
        initParams.put(name, "x");
        initParams.put("unrelated", "kept for the application");

        ServletException e = assertThrows(ServletException.class,
                () -> new TokenAuthFilter(gate(), accounts, sessionLogin()).init(filterConfig));
        assertEquals("TokenAuthFilter 'TokenAuth' takes no init-parameters (" + name + "): tokenauth settings are the "
                + "application's, so that every entry point agrees; set them as context parameters, system properties "
                + "or environment variables", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "1", "on"})
    void gateWhenBearerFlagIsNotTrueOrFalseThenRefusedNamingTheSetting(String value) {
        contextParameter("tokenauth.auth.bearer", value);

        BadSetting e = assertThrows(BadSetting.class, this::gate);
        assertEquals("Bad tokenauth setting tokenauth.auth.bearer='" + value + "': must be true or false", e.getMessage());
    }

    @Test
    void doFilterWhenBearerAllowedThenBearerTokenIsAccepted() throws Exception {
        contextParameter("tokenauth.auth.bearer", "true");
        header("Authorization", "Bearer " + TOKEN);

        runFilter();

        HttpServletRequest passed = passedOnRequest();
        assertEquals("alice", passed.getRemoteUser());
        assertEquals("TOKEN", passed.getAuthType());
    }

    @Test
    void doFilterWhenBearerAllowedThenTokenSchemeIsStillAccepted() throws Exception {
        contextParameter("tokenauth.auth.bearer", "TRUE");
        header("Authorization", "Token " + TOKEN);

        runFilter();

        assertEquals("alice", passedOnRequest().getRemoteUser());
    }

    @Test
    void doFilterWhenRealmConfiguredThenChallengeNamesIt() throws Exception {
        contextParameter("tokenauth.auth.realm", "internal");

        runFilter();

        assertEquals("Token realm=\"internal\"", responseHeaders.get("WWW-Authenticate"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\"b", "a\\b"})
    void gateWhenRealmHasAQuoteOrBackslashThenRefused(String realm) {
        contextParameter("tokenauth.auth.realm", realm);

        assertThrows(BadSetting.class, this::gate);
    }

    @Test
    void doFilterWhenSessionAttributeConfiguredForTheApplicationThenItIsTheOneRead() throws Exception {
        when(context.getInitParameter("tokenauth.session.attribute")).thenReturn("my.user");
        HttpSession session = mock(HttpSession.class);
        when(session.getAttribute("my.user")).thenReturn("alice");
        when(session.getAttribute("dev.tokenauth.user")).thenReturn("mallory");
        when(request.getSession(false)).thenReturn(session);

        runFilter();

        assertEquals("alice", passedOnRequest().getRemoteUser());
    }

    @Test
    void doFilterWhenTheTokenCheckFailsByAFaultOfTheProgramThen500JsonAndOneLogLineNamingIt() throws Exception {
        header("Authorization", "Token " + TOKEN);
        when(request.getMethod()).thenReturn("GET");
        when(request.getRequestURI()).thenReturn("/api/whoami");
        when(authenticator.authenticate(TOKEN, REMOTE_ADDRESS)).thenThrow(new NullPointerException("no owner"));

        try (dev.tokenauth.RecordedLogs logs = dev.tokenauth.RecordedLogs.of(
                java.util.logging.Logger.getLogger(Faults.class.getName()))) {
            runFilter();

            verifyRefused(500, "Internal server error.");
            assertEquals(1, logs.records().stream().filter(r -> r.getLevel().intValue() > java.util.logging.Level.FINE
                    .intValue()).count(), logs.messages().toString());
            assertTrue(logs.messages().get(0).startsWith("Internal error on GET /api/whoami: NullPointerException: no owner"),
                    logs.messages().get(0));
        }
    }

    // --- behind the container's module ------------------------------------------------------------------------

    @Test
    void doFilterWhenTheContainersModuleAlreadyPassedTheTokenThenItIsNotCheckedAgain() throws Exception {
        header("Authorization", "Token " + TOKEN);
        TokenServerAuthModule module = new TokenServerAuthModule(gate(), user -> false);
        jakarta.security.auth.message.MessageInfo message = mock(jakarta.security.auth.message.MessageInfo.class);
        when(message.getRequestMessage()).thenReturn(request);
        when(message.getResponseMessage()).thenReturn(response);
        when(message.getMap()).thenReturn(new HashMap<>());
        module.initialize(null, null, callbacks -> { }, Map.of());
        module.validateRequest(message, new javax.security.auth.Subject(), null);

        runFilter();

        assertEquals("alice", passedOnRequest().getRemoteUser());
        assertEquals(Optional.of(Caller.byToken("alice", TOKEN_ID, SCOPES)), Caller.of(passedOnRequest()));
        verify(authenticator, org.mockito.Mockito.times(1)).authenticate(TOKEN, REMOTE_ADDRESS);
    }

    @Test
    void doFilterWhenTheFilterAndTheModuleShareTheGateThenAGuesserHasOneAllowanceAcrossBoth() throws Exception {
        contextParameter("tokenauth.throttle.token.address", "3");
        TokenGate gate = gate();
        TokenServerAuthModule module = new TokenServerAuthModule(gate, user -> false);
        jakarta.security.auth.message.MessageInfo message = mock(jakarta.security.auth.message.MessageInfo.class);
        when(message.getRequestMessage()).thenReturn(request);
        HttpServletResponse moduleResponse = new RecordedResponse().response();
        when(message.getResponseMessage()).thenReturn(moduleResponse);
        when(message.getMap()).thenReturn(new HashMap<>());
        module.initialize(null, null, callbacks -> { }, Map.of());
        TokenAuthFilter filter = new TokenAuthFilter(gate, accounts, sessionLogin());
        filter.init(filterConfig);
        header("Authorization", "Token " + TokenFormat.generate(new SecureRandom()));

        module.validateRequest(message, new javax.security.auth.Subject(), null);
        module.validateRequest(message, new javax.security.auth.Subject(), null);
        filter.doFilter(request, mock(HttpServletResponse.class, org.mockito.Answers.RETURNS_DEEP_STUBS), chain);
        filter.doFilter(request, response, chain);

        verifyRefused(429, "Too many failed token attempts from your address; try again in 60 seconds.");
        verify(authenticator, org.mockito.Mockito.times(3)).authenticate(any(), any());
    }

    // --- disabled users and acting as a user -------------------------------------------------------------------

    @Test
    void doFilterWhenTheSessionUserWasDisabledThenNotLoggedInAndTheSessionEnds() throws Exception {
        HttpSession session = sessionOf("alice");
        accounts(Set.of("alice"));

        runFilter();

        verifyUnauthorized("Not logged in.");
        verify(session).invalidate();
    }

    @Test
    void doFilterWhenThePasswordChangedSinceTheSessionsLoginThenNotLoggedInAndTheSessionEnds() throws Exception {
        Instant loggedIn = Instant.parse("2024-05-01T12:00:00Z");
        HttpSession session = sessionOf("alice");
        when(session.getAttribute("dev.tokenauth.user.loggedInAt")).thenReturn(loggedIn);
        accounts = new AccountStatus() {
            @Override
            public boolean isDisabled(String username) {
                return false;
            }

            @Override
            public boolean allowsSession(String username, Instant loggedInAt) {
                return !loggedIn.equals(loggedInAt);
            }
        };

        runFilter();

        verifyUnauthorized("Not logged in.");
        verify(session).invalidate();
    }

    @Test
    void doFilterWhenAnAdminActsAsAUserThenTheChainSeesThatUserAndTheCallerNamesTheAdmin() throws Exception {
        HttpSession session = sessionOf("root");
        when(session.getAttribute("dev.tokenauth.user.actingFor")).thenReturn("alice");
        when(request.isUserInRole("admin")).thenReturn(true);
        accounts(Set.of());

        runFilter();

        HttpServletRequest passed = passedOnRequest();
        assertEquals("alice", passed.getRemoteUser());
        assertEquals("alice", passed.getUserPrincipal().getName());
        assertFalse(passed.isUserInRole("admin"), "acting as alice gives none of root's container roles");
        assertEquals(Optional.of(Caller.actingFor("alice", "root")), Caller.of(passed));
        assertEquals("root", Caller.of(passed).orElseThrow().actor(passed).actingUser());
    }

    @Test
    void doFilterWhenTheUserActedAsWasDisabledThenTheActingEndsAndThisRequestIsRefusedOnceSayingSo() throws Exception {
        HttpSession session = sessionOf("root");
        when(session.getAttribute("dev.tokenauth.user.actingFor")).thenReturn("alice");
        accounts(Set.of("alice"));

        runFilter();

        verifyRefused(409, "Acting as alice ended: the user was disabled. Your next requests are your own.");
        verify(session).removeAttribute("dev.tokenauth.user.actingFor");
    }

    @Test
    void doFilterWhenTheUserStoreCannotAnswerForASessionThen503() throws Exception {
        sessionOf("alice");
        accounts = user -> {
            throw new StoreUnavailableException("user lookup", new RuntimeException("down"));
        };

        runFilter();

        verifyRefused(503, "Service unavailable, try again later.");
    }

    private void accounts(Set<String> disabled) {
        accounts = disabled::contains;
    }

    // --- metrics --------------------------------------------------------------------------------------------

    @Test
    void doFilterCountsEachOutcomeOnceUnderItsOwnTag() throws Exception {
        Metrics metrics = Metrics.prometheus();
        outcomes = metrics;
        TokenAuthFilter filter = filter();

        filter.doFilter(request, response, chain);                       // no credentials
        header("Authorization", "Token " + TOKEN);
        filter.doFilter(request, response, chain);                       // a valid token
        filter.doFilter(request, response, chain);
        header("Authorization", "Basic YWxpY2U6c2VjcmV0");
        filter.doFilter(request, response, chain);                       // an unusable header
        requestHeaders.remove("Authorization");
        sessionOf("alice");
        filter.doFilter(request, response, chain);                       // a login session

        assertEquals(Map.of("not_logged_in", 1.0, "token", 2.0, "invalid_token", 1.0, "session", 1.0),
                countedOutcomes(metrics));
        metrics.close();
    }

    @Test
    void doFilterWhenTheAddressIsThrottledThenCountedAsThrottledNotAsInvalidToken() throws Exception {
        Metrics metrics = Metrics.prometheus();
        outcomes = metrics;
        contextParameter("tokenauth.throttle.token.address", "2");
        TokenAuthFilter filter = filter();
        header("Authorization", "Token " + TokenFormat.generate(new SecureRandom()));

        for (int i = 0; i < 5; i++) {
            filter.doFilter(request, response, chain);
        }

        assertEquals(Map.of("invalid_token", 2.0, "throttled", 3.0), countedOutcomes(metrics));
        assertEquals(3.0, metrics.registry().get("tokenauth.throttled.requests").tag("throttle", "token").counter()
                .count());
        assertEquals(0.0, metrics.registry().get("tokenauth.throttled.requests").tag("throttle", "login").counter()
                .count());
        metrics.close();
    }

    /** The outcomes counted so far, without the zeros. */
    private static Map<String, Double> countedOutcomes(Metrics metrics) {
        Map<String, Double> counted = new TreeMap<>();
        for (Outcomes.Authentication o : Outcomes.Authentication.values()) {
            double n = metrics.registry().get("tokenauth.authentications").tag("outcome", o.tag()).counter().count();
            if (n != 0) {
                counted.put(o.tag(), n);
            }
        }
        return counted;
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private void header(String name, String... values) {
        requestHeaders.put(name, List.of(values));
    }

    private HttpSession sessionOf(String user) {
        HttpSession session = mock(HttpSession.class);
        when(session.getAttribute("dev.tokenauth.user")).thenReturn(user);
        when(request.getSession(false)).thenReturn(session);
        return session;
    }

    private void runFilter() throws Exception {
        filter().doFilter(request, response, chain);
    }

    private void contextParameter(String name, String value) {
        when(context.getInitParameter(name)).thenReturn(value);
    }

    /** The gate as the application makes it, from the context's settings, counting into its outcomes. */
    private TokenGate gate() {
        return TokenGate.of(TokenAuthConfig.from(Settings.of(context)).tokenCheck(), authenticator, outcomes);
    }

    /** The session login as the application makes it, from the context's settings. */
    private SessionLogin sessionLogin() {
        return new SessionLogin(TokenAuthConfig.from(Settings.of(context)).logins().sessionAttribute());
    }

    private TokenAuthFilter filter() throws ServletException {
        TokenAuthFilter filter = new TokenAuthFilter(gate(), accounts, sessionLogin());
        filter.init(filterConfig);
        return filter;
    }

    private HttpServletRequest passedOnRequest() throws Exception {
        ArgumentCaptor<ServletRequest> passed = ArgumentCaptor.forClass(ServletRequest.class);
        verify(chain).doFilter(passed.capture(), org.mockito.ArgumentMatchers.same(response));
        return (HttpServletRequest) passed.getValue();
    }

    /** The refusal reaches the audit trail, and no token was looked up. */
    private void verifyOnlyTheUnusableHeaderWasNoted() {
        verify(authenticator).refusedUnusableHeader(REMOTE_ADDRESS);
        verifyNoMoreInteractions(authenticator);
    }

    private void verifyUnauthorized(String msg) throws Exception {
        verifyRefused(401, msg);
        assertEquals(Map.of("Cache-Control", "no-store", "WWW-Authenticate", CHALLENGE), responseHeaders);
    }

    private void verifyRefused(int status, String msg) throws Exception {
        assertEquals(List.of(status), statuses, "the response status");
        if (status == 401 || status == 429 || status == 503) {
            // The gate's fixed answers: their bytes made once, written with their length.
            verify(response).setContentType("application/json;charset=UTF-8");
            verify(response).setContentLength(recorded.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        } else {
            verify(response).setContentType("application/json");
            verify(response).setCharacterEncoding("UTF-8");
        }
        verify(response, never()).sendError(anyInt());
        verify(response, never()).sendError(anyInt(), any());
        verify(response, never()).addHeader(any(), any());
        assertEquals(Json.createObjectBuilder().add("msg", msg).add("success", false).build(), json(),
                "the response body");
        verify(chain, never()).doFilter(any(), any());
    }

    private JsonObject json() {
        return recorded.json();
    }
}
