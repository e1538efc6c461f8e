package dev.tokenauth.site;

import dev.tokenauth.log.LogText;
import dev.tokenauth.web.JsonServlet;
import dev.tokenauth.web.RequestRejected;
import dev.tokenauth.web.SameOriginPolicy;
import dev.tokenauth.web.SessionLogin;

import java.io.IOException;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.token.Actor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /logout}: ends the login session and answers 303 to the login form. An admin who was acting for a
 * user stops with it, and the audit trail says so.
 */
public class LogoutServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(LogoutServlet.class.getName());

    public LogoutServlet() {
        super("POST");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        if (SameOriginPolicy.isCrossSite(request)) {
            throw new RequestRejected(HttpServletResponse.SC_FORBIDDEN, "Cross-site request refused.");
        }
        SessionLogin sessions = services().sessionLogin();
        Optional<String> actingFor = sessions.actingFor(request);
        Optional<String> admin = sessions.user(request);
        if (actingFor.isPresent() && admin.isPresent()) {
            try {
                services().administration().actingEndedByLogout(Actor.self(admin.get(), null, request.getRemoteAddr()),
                        actingFor.get());
            } catch (StoreUnavailableException e) {
                // Logging out must always work; the record is what gives way.
                LOG.log(Level.WARNING, "Could not record that " + LogText.escape(admin.get())
                        + " stopped acting for " + LogText.escape(actingFor.get()) + " by logging out", e);
            }
        }
        sessions.logout(request);
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + "/login");
    }
}
