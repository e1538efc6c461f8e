package dev.tokenauth.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.app.TokenAuthApplication;
import dev.tokenauth.web.CreateTokenServlet;
import dev.tokenauth.web.TokenAuthFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

/** What the initializer registers in an application that adopts tokenauth as one dependency, setting by setting. */
class TokenAuthInitializerTest {

    private final Map<String, String> parameters = new HashMap<>();
    /** Servlet name to the one URL pattern it was mapped to. */
    private final Map<String, String> servlets = new TreeMap<>();
    /** Filter name to its URL pattern. */
    private final Map<String, String> filters = new java.util.LinkedHashMap<>();
    private final Map<String, FilterRegistration> existingFilters = new HashMap<>();
    private ServletContext context;

    @BeforeEach
    void setUp() {
        context = mock(ServletContext.class);
        when(context.getContextPath()).thenReturn("/shop");
        when(context.getInitParameter(anyString())).thenAnswer(i -> parameters.get(i.getArgument(0, String.class)));
        when(context.getFilterRegistrations()).thenAnswer(i -> existingFilters);
        when(context.addFilter(anyString(), any(Class.class))).thenAnswer(i -> {
            String name = i.getArgument(0);
            FilterRegistration.Dynamic registration = mock(FilterRegistration.Dynamic.class);
            org.mockito.Mockito.doAnswer(m -> {
                assertEquals(EnumSet.of(DispatcherType.REQUEST), m.getArgument(0));
                assertEquals(false, m.getArgument(1), "before the application's own filters");
                filters.put(name, m.getArgument(2));
                return null;
            }).when(registration).addMappingForUrlPatterns(any(), eq(false), anyString());
            return registration;
        });
        when(context.addServlet(anyString(), any(Class.class))).thenAnswer(i -> {
            String name = i.getArgument(0);
            ServletRegistration.Dynamic registration = mock(ServletRegistration.Dynamic.class);
            when(registration.addMapping(anyString())).thenAnswer(m -> {
                servlets.put(name, m.getArgument(0));
                return Set.of();
            });
            return registration;
        });
    }

    private void start() {
        new TokenAuthInitializer().onStartup(Set.of(), context);
    }

    @Test
    void byDefaultItGuardsApiAndServesTheFiveTokenEndpointsThere() {
        start();

        verify(context).addListener(TokenAuthApplication.class);
        assertEquals(Map.of("TokenAuth", "/api/*", "TokenAuthCsrf", "/api/*"), filters);
        assertEquals(List.of("TokenAuth", "TokenAuthCsrf"), List.copyOf(filters.keySet()), "the token check first");
        assertEquals(Map.of("tokenauth-create_token", "/api/create_token", "tokenauth-revoke_token", "/api/revoke_token",
                "tokenauth-rotate_token", "/api/rotate_token", "tokenauth-tokens", "/api/tokens",
                "tokenauth-whoami", "/api/whoami"), servlets);
        verify(context).addServlet("tokenauth-create_token", CreateTokenServlet.class);
    }

    @Test
    void theApiMovesUnderAnotherPath() {
        parameters.put("tokenauth.api.path", "/services/api/");

        start();

        assertEquals(Map.of("TokenAuth", "/services/api/*", "TokenAuthCsrf", "/services/api/*"), filters);
        assertEquals("/services/api/create_token", servlets.get("tokenauth-create_token"));
        assertEquals(5, servlets.size());
    }

    @Test
    void theApplicationChoosesItsEndpoints() {
        parameters.put("tokenauth.endpoints", "create_token, revoke_token");

        start();

        assertEquals(Map.of("tokenauth-create_token", "/api/create_token", "tokenauth-revoke_token",
                "/api/revoke_token"), servlets);
        assertEquals(2, filters.size());
    }

    @Test
    void noneLeavesTheFilterAlone() {
        parameters.put("tokenauth.endpoints", "none");

        start();

        assertEquals(Map.of(), servlets);
        assertEquals(Map.of("TokenAuth", "/api/*", "TokenAuthCsrf", "/api/*"), filters);
        verify(context).addListener(TokenAuthApplication.class);
    }

    @Test
    void inRemoteModeItGuardsTheApiWithTheRemoteListenerAndServesNoEndpoint() {
        parameters.put("tokenauth.remote.url", "https://tokens.example");
        parameters.put("tokenauth.endpoints", "create_token");

        start();

        verify(context).addListener(RemoteTokenAuthApplication.class);
        verify(context, never()).addListener(TokenAuthApplication.class);
        assertEquals(Map.of("TokenAuth", "/api/*", "TokenAuthCsrf", "/api/*"), filters);
        assertEquals(Map.of(), servlets);
    }

    @Test
    void turnedOffItRegistersNothing() {
        parameters.put("tokenauth.enabled", "false");

        start();

        verify(context, never()).addListener(any(Class.class));
        verify(context, never()).addFilter(anyString(), any(Class.class));
        verify(context, never()).addServlet(anyString(), any(Class.class));
    }

    @Test
    void anApplicationThatRegistersTheFilterInItsWebXmlIsLeftAsItIs() {
        FilterRegistration own = mock(FilterRegistration.class);
        when(own.getClassName()).thenReturn(TokenAuthFilter.class.getName());
        existingFilters.put("TokenAuth", own);

        start();

        verify(context, never()).addListener(any(Class.class));
        verify(context, never()).addFilter(anyString(), any(Class.class));
        verify(context, never()).addServlet(anyString(), any(Class.class));
    }

    @Test
    void anEndpointPathTheApplicationMapsAlreadyStopsTheStartWithAMessage() {
        when(context.addServlet(eq("tokenauth-whoami"), any(Class.class))).thenAnswer(i -> {
            ServletRegistration.Dynamic registration = mock(ServletRegistration.Dynamic.class);
            when(registration.addMapping(anyString())).thenReturn(Set.of("/api/whoami"));
            return registration;
        });

        IllegalStateException e = assertThrows(IllegalStateException.class, this::start);

        assertEquals("tokenauth cannot serve [/api/whoami]: the application maps it already; leave it out of"
                + " tokenauth.endpoints", e.getMessage());
    }

    @Test
    void anUnknownEndpointOrABadPathStopsTheStartNamingTheSetting() {
        assertEquals("Bad tokenauth setting tokenauth.endpoints='tokens,users': names 'users'; it takes all, none, or a"
                + " list of create_token, revoke_token, rotate_token, tokens, whoami",
                assertThrows(IllegalStateException.class, () -> TokenAuthInitializer.endpoints("tokens,users"))
                        .getMessage());
        for (String bad : new String[] {"", "/", "api", "/api/*", "//api"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> TokenAuthInitializer.apiPath(bad), bad);
            assertEquals(true, e.getMessage().startsWith("Bad tokenauth setting tokenauth.api.path='" + bad + "': must be a path"), e.getMessage());
        }
        assertEquals("/api", TokenAuthInitializer.apiPath(" /api/ "));
    }
}
