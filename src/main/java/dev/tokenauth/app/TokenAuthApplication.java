package dev.tokenauth.app;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.tokenauth.config.Setting;
import dev.tokenauth.config.Settings;
import dev.tokenauth.persistence.Database;
import dev.tokenauth.persistence.JpaTokenStore;
import dev.tokenauth.persistence.JpaUserStore;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.UserService;
import dev.tokenauth.web.AppServices;
import dev.tokenauth.web.SessionLogin;
import dev.tokenauth.web.TokenAuthFilter;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Wires the application when the container starts it: opens the database, builds the services, puts them
 * where the filter and servlets find them, and creates the first admin on an empty store. On stop it closes
 * the database so that a restart or redeploy finds it intact and unlocked.
 */
public class TokenAuthApplication implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(TokenAuthApplication.class.getName());

    private Database database;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Settings settings = Settings.of(context);
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        try {
            database = Database.open(settings);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "tokenauth cannot open its database; the application will not start", e);
            throw e;
        }
        TokenService tokens = new TokenService(new JpaTokenStore(database.factory()), clock, random);
        UserService users = new UserService(new JpaUserStore(database.factory(), clock),
                new PasswordHasher(PasswordHasher.DEFAULT_ITERATIONS, random));
        users.createInitialAdminIfNoUsers(settings.get(Setting.ADMIN_PASSWORD), random);

        context.setAttribute(TokenAuthFilter.AUTHENTICATOR_ATTRIBUTE, tokens);
        context.setAttribute(AppServices.ATTRIBUTE,
                new AppServices(tokens, users, new SessionLogin(settings.get(Setting.SESSION_USER_ATTRIBUTE))));
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(AppServices.ATTRIBUTE);
        event.getServletContext().removeAttribute(TokenAuthFilter.AUTHENTICATOR_ATTRIBUTE);
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
