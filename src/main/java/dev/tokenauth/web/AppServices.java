package dev.tokenauth.web;

import java.util.Objects;
import java.util.function.BooleanSupplier;

import dev.tokenauth.admin.DatabaseBackups;
import dev.tokenauth.admin.UserAdministration;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.metrics.Metrics;
import dev.tokenauth.metrics.MetricsAccess;
import dev.tokenauth.throttle.LoginThrottle;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.user.UserService;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

/**
 * Everything the application made at start that its filters and servlets use: the one registry, published in the
 * servlet context by the application's listener and withdrawn at stop. Nothing else is kept in context attributes.
 *
 * @param databaseCheck whether the database answers now (a query of its own, bounded by the database timeout)
 */
public record AppServices(TokenService tokens, UserService users, UserAdministration administration,
        AuditTrail audit, SessionLogin sessionLogin, LoginThrottle loginThrottle, DeviceCookie deviceCookie,
        TokenGate gate, BooleanSupplier databaseCheck, Metrics metrics, MetricsAccess metricsAccess,
        DatabaseBackups backups, LeakReports leakReports) {

    private static final String ATTRIBUTE = AppServices.class.getName();

    public AppServices {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(administration, "administration");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(backups, "backups");
        Objects.requireNonNull(sessionLogin, "sessionLogin");
        Objects.requireNonNull(loginThrottle, "loginThrottle");
        Objects.requireNonNull(deviceCookie, "deviceCookie");
        Objects.requireNonNull(gate, "gate");
        Objects.requireNonNull(databaseCheck, "databaseCheck");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(metricsAccess, "metricsAccess");
        Objects.requireNonNull(leakReports, "leakReports");
    }

    /** Makes these the services of the application in {@code context}. */
    public void publish(ServletContext context) {
        context.setAttribute(ATTRIBUTE, this);
        new TokenGuard(gate, users, sessionLogin).publish(context);
    }

    /** Withdraws the services of the application in {@code context}, at its stop. */
    public static void withdraw(ServletContext context) {
        context.removeAttribute(ATTRIBUTE);
        TokenGuard.withdraw(context);
    }

    /** The application's services; a filter or servlet that finds none cannot start. */
    public static AppServices from(ServletContext context) throws ServletException {
        AppServices services = (AppServices) context.getAttribute(ATTRIBUTE);
        if (services == null) {
            throw new ServletException("No tokenauth services in the servlet context: "
                    + "register dev.tokenauth.app.TokenAuthApplication as a listener");
        }
        return services;
    }
}
