package dev.tokenauth.site;

import dev.tokenauth.web.AppServices;
import dev.tokenauth.web.RecordedResponse;
import dev.tokenauth.web.SessionLogin;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.security.SecureRandom;
import java.time.Clock;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.user.UserService;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

class PageServletTest {

    private UserService users;
    private HttpServletRequest request;
    private final RecordedResponse recorded = new RecordedResponse();
    private HttpServletResponse response;
    private ServletContext context;
    private PageServlet servlet;

    @BeforeEach
    void setUp() throws Exception {
        users = mock(UserService.class);
        context = mock(ServletContext.class);
        AppServices services = mock(AppServices.class);
        when(services.users()).thenReturn(users);
        when(services.sessionLogin()).thenReturn(new SessionLogin("dev.tokenauth.user"));
        when(context.getAttribute(AppServices.class.getName())).thenReturn(services);
        ServletConfig config = mock(ServletConfig.class);
        when(config.getServletContext()).thenReturn(context);
        when(config.getInitParameter("page")).thenReturn("account.html");
        when(config.getServletName()).thenReturn("AccountPage");
        servlet = new PageServlet();
        servlet.init(config);

        request = mock(HttpServletRequest.class);
        response = recorded.response();
        when(request.getContextPath()).thenReturn("");
    }

    private void loggedInAs(String user) {
        HttpSession session = mock(HttpSession.class);
        when(session.getAttribute("dev.tokenauth.user")).thenReturn(user);
        when(request.getSession(false)).thenReturn(session);
    }

    @Test
    void doGetWhenNoOneIsLoggedInThenSeeOtherToTheLoginPage() throws Exception {
        servlet.doGet(request, response);

        verify(response).setStatus(303);
        verify(response).setHeader("Location", "/login");
        verify(context, never()).getResourceAsStream(anyString());
    }

    @Test
    void doGetWhenTheUserStoreDoesNotAnswerThen503AndNoPageAndNoLogLine() throws Exception {
        dev.tokenauth.RecordedLogs logs = dev.tokenauth.RecordedLogs.of(
                java.util.logging.Logger.getLogger(PageServlet.class.getName()));
        loggedInAs("alice");
        when(users.allowsSession(anyString(), any())).thenThrow(new StoreUnavailableException("user lookup", null));

        servlet.doGet(request, response);

        verify(response).sendError(503);
        logs.close();
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), logs.messages(),
                "the store logs an outage once, never a page per request");
        verify(response, never()).setStatus(200);
        verify(context, never()).getResourceAsStream(anyString());
    }
}
