package dev.tokenauth.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tokenauth.admin.DatabaseBackups;
import dev.tokenauth.admin.UserAdministration;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.metrics.Metrics;
import dev.tokenauth.metrics.MetricsAccess;
import dev.tokenauth.throttle.FailureThrottle;
import dev.tokenauth.throttle.LoginThrottle;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.user.UserService;
import jakarta.servlet.http.HttpServletRequest;

/** The leak report endpoint's switch and throttle, on the servlet alone. */
class LeakReportServletTest {

    private final TokenService tokens = mock(TokenService.class);

    private LeakReportServlet servlet(LeakReports reports) {
        AppServices services = new AppServices(tokens, mock(UserService.class), mock(UserAdministration.class),
                mock(AuditTrail.class), mock(SessionLogin.class), mock(LoginThrottle.class), mock(DeviceCookie.class),
                mock(TokenGate.class), () -> true, mock(Metrics.class), mock(MetricsAccess.class),
                mock(DatabaseBackups.class), reports);
        return new LeakReportServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected AppServices services() {
                return services;
            }
        };
    }

    private static HttpServletRequest report() throws Exception {
        HttpServletRequest request = FakeRequests.jsonPost("{\"credentials\": [\"tka_x\"]}");
        when(request.getRemoteAddr()).thenReturn("198.51.100.7");
        return request;
    }

    @Test
    void turnedOffItIsA404AndRevokesNothing() throws Exception {
        RecordedResponse response = new RecordedResponse();

        servlet(new LeakReports(false, FailureThrottle.of(60, LeakReports.WINDOW))).service(report(),
                response.response());

        assertEquals(List.of(404), response.statuses());
        assertEquals("{\"msg\":\"No such API endpoint.\",\"success\":false}", response.body());
        verify(tokens, never()).reportLeaked(any(), anyString());
    }

    @Test
    void pastItsAllowanceAnAddressGets429WithRetryAfterAndItsReportIsNotRead() throws Exception {
        LeakReportServlet servlet = servlet(new LeakReports(true, FailureThrottle.of(2, Duration.ofHours(1))));
        RecordedResponse first = new RecordedResponse();
        RecordedResponse second = new RecordedResponse();
        RecordedResponse third = new RecordedResponse();

        servlet.service(report(), first.response());
        servlet.service(report(), second.response());
        servlet.service(report(), third.response());

        assertEquals(List.of(202), first.statuses());
        assertEquals("{\"success\":true}", first.body());
        assertEquals(List.of(202), second.statuses());
        assertEquals(List.of(429), third.statuses());
        assertEquals("1800", third.headers().get("Retry-After"), "two an hour: the next in half an hour");
        assertEquals("{\"msg\":\"Too many reports from your address; try again in 1800 seconds.\",\"success\":false}",
                third.body());
        verify(tokens, times(2)).reportLeaked(List.of("tka_x"), "198.51.100.7");
    }
}
