package dev.tokenauth.site;

import dev.tokenauth.web.AppServices;
import dev.tokenauth.web.DeviceCookie;
import dev.tokenauth.web.JsonServlet;
import dev.tokenauth.web.RequestRejected;
import dev.tokenauth.web.SameOriginPolicy;
import dev.tokenauth.web.SessionLogin;
import dev.tokenauth.web.Throttled;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.tokenauth.audit.AuditEvent;
import dev.tokenauth.audit.AuditType;
import dev.tokenauth.log.LogText;
import dev.tokenauth.metrics.Outcomes;
import dev.tokenauth.throttle.LoginThrottle;
import dev.tokenauth.user.Usernames;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /login}: GET serves the form; POST ({@code username}, {@code password}, from the body only: a query string
 * is a 400) logs in with a new session and answers 303 to {@code /}; wrong credentials get 401 and leave no user
 * in the session. The name is taken in its {@linkplain Usernames canonical} form, for the throttle as for the
 * check, so that {@code "carol "} is the account {@code carol} with {@code carol}'s allowance. A successful login
 * also gives the browser a {@linkplain DeviceCookie device cookie}; an attempt that presents a valid one for the
 * name it tries is throttled as that device's, not as the account's and the address's ({@link LoginThrottle}).
 */
public class LoginServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;
    static final String WRONG_CREDENTIALS = "Invalid username or password.";
    static final String CREDENTIALS_IN_URL =
            "Never put credentials in a URL: send 'username' and 'password' in the request body.";
    static final String CONTROL_CHARACTER_IN_NAME = "Username must not contain control characters.";

    private transient Outcomes outcomes;

    public LoginServlet() {
        super("GET", "POST");
    }

    @Override
    public void init() throws ServletException {
        super.init();
        outcomes = AppServices.from(getServletContext()).metrics();
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        if ("GET".equals(request.getMethod())) {
            writeForm(response, HttpServletResponse.SC_OK, null);
            return;
        }
        String query = request.getQueryString();
        if (query != null && !query.isEmpty()) {
            // Before any check of the password: a URL is kept by access logs, proxies and browser histories.
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, CREDENTIALS_IN_URL);
        }
        if (SameOriginPolicy.isCrossSite(request)) {
            throw new RequestRejected(HttpServletResponse.SC_FORBIDDEN, "Cross-site request refused.");
        }
        SessionLogin sessionLogin = services().sessionLogin();
        LoginThrottle throttle = services().loginThrottle();
        String given = request.getParameter("username");
        if (given != null && LogText.hasControlCharacter(given)) {
            // Refused before anything is counted: no name of an account holds one, and a line break in a name
            // would otherwise reach the lockout's log line.
            throw new RequestRejected(HttpServletResponse.SC_BAD_REQUEST, CONTROL_CHARACTER_IN_NAME);
        }
        String username = Usernames.canonical(given);
        String address = request.getRemoteAddr();
        DeviceCookie deviceCookie = services().deviceCookie();
        String device = deviceCookie.presented(request, username).map(DeviceCookie.Device::id).orElse(null);
        Optional<Duration> wait = throttle.blocked(username, address, device);
        if (wait.isPresent()) {
            // Even the right password waits: otherwise the throttle would tell a guesser when they are right.
            sessionLogin.logout(request);
            outcomes.loginThrottled();
            Throttled.answer(response, wait.get(), "Too many failed logins; try again in "
                    + wait.get().toSeconds() + " seconds.", wantsHtml(request)
                            ? msg -> writeForm(response, Throttled.STATUS, msg) : null);
            return;
        }
        Optional<String> user = services().users().authenticate(username, request.getParameter("password"));
        if (user.isEmpty()) {
            throttle.failed(username, address, device, (lockout, what) -> services().audit().recordLater(AuditEvent.of(
                    Instant.now(), AuditType.LOGIN_THROTTLED, null, null, address, what).withKind(lockout)));
            sessionLogin.logout(request);
            if (wantsHtml(request)) {
                writeForm(response, HttpServletResponse.SC_UNAUTHORIZED, WRONG_CREDENTIALS);
                return;
            }
            throw new RequestRejected(HttpServletResponse.SC_UNAUTHORIZED, WRONG_CREDENTIALS);
        }
        throttle.succeeded(user.get(), device);
        sessionLogin.login(request, user.get());
        // A new cookie at every login, as OWASP's scheme asks: a fresh lifetime, and a device count of its own.
        deviceCookie.issue(request, response, user.get());
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + "/");
    }

    private static boolean wantsHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html");
    }

    private void writeForm(HttpServletResponse response, int status, String error) throws IOException {
        // The error is one of our fixed messages, never an echo of the input.
        HtmlPages.write(getServletContext(), response, status, "login.html",
                error == null ? Map.of() : Map.of("error", "<p class=\"error\" role=\"alert\">" + error + "</p>"));
    }
}
