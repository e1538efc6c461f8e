package dev.tokenauth.web;

import java.util.Objects;

import dev.tokenauth.user.AccountStatus;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

/**
 * What {@link TokenAuthFilter} needs and nothing more: the token gate, whether a session's user is still enabled,
 * and where the session keeps its user. Published in the servlet context at start, both by an application with its
 * own token database (with the rest of its {@link AppServices}) and by one that asks a token service (remote mode),
 * which has nothing else.
 */
public record TokenGuard(TokenGate gate, AccountStatus accounts, SessionLogin sessionLogin) {

    private static final String ATTRIBUTE = TokenGuard.class.getName();

    public TokenGuard {
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(sessionLogin, "sessionLogin");
    }

    public void publish(ServletContext context) {
        context.setAttribute(ATTRIBUTE, this);
    }

    public static void withdraw(ServletContext context) {
        context.removeAttribute(ATTRIBUTE);
    }

    /** The application's guard; a filter that finds none cannot start. */
    public static TokenGuard from(ServletContext context) throws ServletException {
        TokenGuard guard = (TokenGuard) context.getAttribute(ATTRIBUTE);
        if (guard == null) {
            throw new ServletException("No tokenauth services in the servlet context: "
                    + "register dev.tokenauth.app.TokenAuthApplication as a listener");
        }
        return guard;
    }
}
