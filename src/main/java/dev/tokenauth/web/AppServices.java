package dev.tokenauth.web;

import java.util.Objects;

import dev.tokenauth.throttle.LoginThrottle;

import dev.tokenauth.admin.UserAdministration;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.user.UserService;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

/** The services the servlets call, kept in the servlet context by the application's listener. */
public record AppServices(TokenService tokens, UserService users, UserAdministration administration,
        AuditTrail audit, SessionLogin sessionLogin, LoginThrottle loginThrottle, DeviceCookie deviceCookie) {

    public static final String ATTRIBUTE = AppServices.class.getName();

    public AppServices {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(administration, "administration");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(sessionLogin, "sessionLogin");
        Objects.requireNonNull(loginThrottle, "loginThrottle");
        Objects.requireNonNull(deviceCookie, "deviceCookie");
    }

    public static AppServices from(ServletContext context) throws ServletException {
        AppServices services = (AppServices) context.getAttribute(ATTRIBUTE);
        if (services == null) {
            throw new ServletException("No " + ATTRIBUTE + " in the servlet context: "
                    + "register dev.tokenauth.app.TokenAuthApplication as a listener");
        }
        return services;
    }
}
