package dev.tokenauth.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import dev.tokenauth.config.BadSetting;
import dev.tokenauth.token.TokenFormat;
import dev.tokenauth.web.CreateTokenServlet;
import dev.tokenauth.web.TokenGuard;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletRegistration;

/** What the remote mode starts with, and what it refuses to start as. */
class RemoteTokenAuthApplicationTest {

    private static final String TOKEN = TokenFormat.generate(new SecureRandom());

    private final Map<String, String> parameters = new HashMap<>();
    private final Map<String, ServletRegistration> servlets = new HashMap<>();
    private ServletContext context;

    @BeforeEach
    void setUp() {
        context = mock(ServletContext.class);
        when(context.getContextPath()).thenReturn("/orders");
        when(context.getInitParameter(anyString())).thenAnswer(i -> parameters.get(i.getArgument(0, String.class)));
        when(context.getServletRegistrations()).thenAnswer(i -> servlets);
        parameters.put("tokenauth.remote.url", "http://127.0.0.1:9/");
        parameters.put("tokenauth.remote.token", TOKEN);
    }

    private void start(jakarta.servlet.ServletContextListener listener) {
        listener.contextInitialized(new ServletContextEvent(context));
    }

    @Test
    void itPublishesAGuardAndNothingElseAndWithdrawsItAtStop() {
        RemoteTokenAuthApplication remote = new RemoteTokenAuthApplication();
        start(remote);

        ArgumentCaptor<Object> published = ArgumentCaptor.forClass(Object.class);
        verify(context).setAttribute(eq(TokenGuard.class.getName()), published.capture());
        TokenGuard guard = (TokenGuard) published.getValue();
        assertTrue(guard.gate().describe().startsWith("schemes Token; challenge "), guard.gate().describe());
        assertFalse(guard.accounts().isDisabled("anyone"), "the application's own users are all enabled");
        verify(context, org.mockito.Mockito.times(1)).setAttribute(anyString(), org.mockito.ArgumentMatchers.any());

        remote.contextDestroyed(new ServletContextEvent(context));
        verify(context).removeAttribute(TokenGuard.class.getName());
    }

    @Test
    void theApplicationsListenerHandsOverToRemoteModeWithoutOpeningADatabase() {
        parameters.put("tokenauth.data.dir", "/nonexistent/and/unwritable/tokenauth");
        TokenAuthApplication application = new TokenAuthApplication();

        start(application);

        verify(context).setAttribute(eq(TokenGuard.class.getName()), org.mockito.ArgumentMatchers.any());
        application.contextDestroyed(new ServletContextEvent(context));
    }

    @Test
    void anIntrospectionTokenThatIsNoTokenStopsTheStartWithoutNamingIt() {
        parameters.put("tokenauth.remote.token", "hunter2-is-no-token");

        String message = assertThrows(BadSetting.class, () -> start(new RemoteTokenAuthApplication())).getMessage();

        assertEquals("Bad tokenauth setting tokenauth.remote.token=(a secret of 19 characters): is not a tokenauth "
                + "token (tka_...)", message);
    }

    @Test
    void containerSecurityIsRefused() {
        parameters.put("tokenauth.container.security", "true");

        String message = assertThrows(BadSetting.class, () -> start(new RemoteTokenAuthApplication())).getMessage();

        assertTrue(message.startsWith("Bad tokenauth setting tokenauth.container.security='true': is not available "
                + "with tokenauth.remote.url"), message);
    }

    @Test
    void theTokenServiceItselfCannotBeInRemoteMode() {
        ServletRegistration create = mock(ServletRegistration.class);
        when(create.getClassName()).thenReturn(CreateTokenServlet.class.getName());
        servlets.put("create_token", create);

        String message = assertThrows(BadSetting.class, () -> start(new RemoteTokenAuthApplication())).getMessage();

        assertTrue(message.endsWith("is for an application that adopts the filter; this one serves tokenauth's own "
                + "endpoints (dev.tokenauth.web.CreateTokenServlet), so it is a token service itself"), message);
    }
}
