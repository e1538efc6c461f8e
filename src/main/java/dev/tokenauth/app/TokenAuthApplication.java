package dev.tokenauth.app;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.github.benmanes.caffeine.cache.Ticker;

import dev.tokenauth.admin.UserAdministration;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.config.Setting;
import dev.tokenauth.config.Settings;
import dev.tokenauth.metrics.Metrics;
import dev.tokenauth.metrics.MetricsAccess;
import dev.tokenauth.metrics.Outcomes;
import dev.tokenauth.persistence.Database;
import dev.tokenauth.persistence.JpaAuditStore;
import dev.tokenauth.persistence.JpaTokenStore;
import dev.tokenauth.persistence.JpaUserStore;
import dev.tokenauth.throttle.FailureThrottle;
import dev.tokenauth.throttle.LoginThrottle;
import dev.tokenauth.token.Scopes;
import dev.tokenauth.token.TokenChanges;
import dev.tokenauth.token.TokenPolicy;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.ValidationCache;
import dev.tokenauth.user.AccountStatus;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.UserService;
import dev.tokenauth.web.AppServices;
import dev.tokenauth.web.HealthServlet;
import dev.tokenauth.web.SessionLogin;
import dev.tokenauth.web.TokenAuthFilter;
import dev.tokenauth.web.TokenServerAuthModule;
import jakarta.security.auth.message.config.AuthConfigFactory;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Wires the application when the container starts it: reads and checks the settings, opens the database,
 * builds the services, puts them where the filter and servlets find them, starts the background tasks and
 * creates the first admin on an empty store. On stop it writes what is pending and closes the database, so
 * that a restart or redeploy finds it intact and unlocked.
 */
public class TokenAuthApplication implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(TokenAuthApplication.class.getName());

    private Database database;
    private MaintenanceTasks maintenance;
    private ServletContext containerSecurity;
    private Metrics metrics;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Settings settings = Settings.of(context);
        TokenPolicy policy = policy(settings);
        Duration lastUseInterval = interval(settings, Setting.LAST_USED_INTERVAL);
        Duration purgeInterval = interval(settings, Setting.PURGE_INTERVAL);
        int passwordIterations = passwordIterations(settings);
        ValidationCache cache = validationCache(settings);
        LoginThrottle loginThrottle = loginThrottle(settings);
        MetricsAccess metricsAccess = metricsAccess(settings);
        SecureRandom random = new SecureRandom();
        Clock clock = clock();
        try {
            database = Database.open(settings, Clock.systemUTC());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "tokenauth cannot open its database; the application will not start", e);
            throw e;
        }
        metrics = metricsAccess.mode() == MetricsAccess.Mode.OFF ? Metrics.off() : Metrics.prometheus();
        AuditTrail audit = new AuditTrail(new JpaAuditStore(database), Clock.systemUTC(), metrics::audited);
        int dbTimeout = (int) settings.seconds(Setting.DB_TIMEOUT).toSeconds();
        TokenChanges changes = database.tokenChanges(cache, settings.flag(Setting.TOKEN_CACHE_NOTIFY), dbTimeout);
        TokenService tokens = new TokenService(metrics.timed(new JpaTokenStore(database)), policy, audit,
                clock, random, cache, changes);
        metrics.bindCache(cache);
        metrics.bindDatabase(database.availability()::available);
        UserService users = new UserService(new JpaUserStore(database, clock),
                new PasswordHasher(passwordIterations, random));
        users.createInitialAdminIfNoUsers(settings.get(Setting.ADMIN_PASSWORD), random);
        maintenance = new MaintenanceTasks(tokens, audit, lastUseInterval, purgeInterval);

        context.setAttribute(TokenAuthFilter.AUTHENTICATOR_ATTRIBUTE, tokens);
        Database db = database;
        context.setAttribute(HealthServlet.DATABASE_CHECK_ATTRIBUTE, (BooleanSupplier) () -> db.answers(dbTimeout));
        context.setAttribute(AccountStatus.ATTRIBUTE, users);
        context.setAttribute(Metrics.ATTRIBUTE, metrics);
        context.setAttribute(Outcomes.ATTRIBUTE, metrics);
        context.setAttribute(MetricsAccess.ATTRIBUTE, metricsAccess);
        context.setAttribute(AppServices.ATTRIBUTE, new AppServices(tokens, users,
                new UserAdministration(users, tokens, audit, clock), audit,
                new SessionLogin(settings.get(Setting.SESSION_USER_ATTRIBUTE)), loginThrottle));
        if (settings.flag(Setting.CONTAINER_SECURITY)) {
            // The container authenticates token requests itself: its constraints and isUserInRole see the owner.
            FailureThrottle failedTokens = FailureThrottle.of(settings.integer(Setting.THROTTLE_TOKEN_ADDRESS),
                    TokenAuthFilter.TOKEN_FAILURE_WINDOW);
            AuthConfigFactory.getFactory().registerServerAuthModule(new TokenServerAuthModule(tokens, users::isAdmin,
                    failedTokens, settings.get(Setting.REALM), settings.flag(Setting.ALLOW_BEARER)), context);
            containerSecurity = context;
            LOG.info("tokenauth authenticates tokens in the container (Jakarta Authentication)");
        }
        LOG.info(() -> "tokenauth started: " + policy + "; token cache " + (cache.enabled()
                ? settings.get(Setting.TOKEN_CACHE_SIZE) + " entries for " + settings.get(Setting.TOKEN_CACHE_TTL) + " s"
                : "off") + "; metrics for " + metricsAccess);
    }

    /** The token rules' limits from the settings; a bad value stops the start with a message naming it. */
    static TokenPolicy policy(Settings settings) {
        Scopes scopes;
        try {
            scopes = Scopes.of(settings.get(Setting.SCOPES));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Bad " + Setting.SCOPES.property() + " '" + settings.get(Setting.SCOPES)
                    + "': " + e.getMessage(), e);
        }
        try {
            return new TokenPolicy(settings.seconds(Setting.TOKEN_DEFAULT_LIFETIME),
                    settings.seconds(Setting.TOKEN_MAX_LIFETIME), settings.seconds(Setting.ROTATION_GRACE),
                    settings.seconds(Setting.ROTATION_MAX_GRACE), settings.integer(Setting.TOKEN_LIMIT),
                    settings.seconds(Setting.TOKEN_RETENTION), scopes);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("Bad tokenauth token settings: " + e.getMessage(), e);
        }
    }

    /** Failed-login throttling per account and per client address, as the settings ask. */
    static LoginThrottle loginThrottle(Settings settings) {
        try {
            return LoginThrottle.of(settings.integer(Setting.THROTTLE_LOGIN_ACCOUNT),
                    settings.integer(Setting.THROTTLE_LOGIN_ADDRESS));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Bad tokenauth throttle settings: " + e.getMessage(), e);
        }
    }

    /** Who may read the metrics; a bad value (or a short scrape secret) stops the start with a message naming it. */
    static MetricsAccess metricsAccess(Settings settings) {
        try {
            return MetricsAccess.from(settings);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Bad tokenauth metrics settings: " + e.getMessage(), e);
        }
    }

    /** The token validation cache the settings ask for: off when its size or its age is 0. */
    static ValidationCache validationCache(Settings settings) {
        try {
            return ValidationCache.of(settings.integer(Setting.TOKEN_CACHE_SIZE),
                    settings.seconds(Setting.TOKEN_CACHE_TTL), Ticker.systemTicker());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("Bad tokenauth token cache settings: " + e.getMessage(), e);
        }
    }

    /**
     * The cost of new password hashes: a whole number above 0. Below the default it is allowed (a test server, a
     * slow machine) but said once at start-up, since it makes stolen hashes cheaper to guess.
     */
    static int passwordIterations(Settings settings) {
        int iterations;
        try {
            iterations = settings.integer(Setting.PASSWORD_ITERATIONS);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Bad tokenauth setting: " + e.getMessage(), e);
        }
        if (iterations < 1) {
            throw new IllegalStateException("Bad tokenauth setting: " + Setting.PASSWORD_ITERATIONS.property()
                    + " must be a whole number above 0");
        }
        if (iterations < PasswordHasher.DEFAULT_ITERATIONS) {
            LOG.warning(() -> Setting.PASSWORD_ITERATIONS.property() + "=" + iterations + " is below the "
                    + PasswordHasher.DEFAULT_ITERATIONS + " PBKDF2 iterations recommended for stored passwords");
        }
        return iterations;
    }

    /** How often a background task runs: a whole number of seconds above 0; else the start stops here. */
    static Duration interval(Settings settings, Setting setting) {
        Duration every;
        try {
            every = settings.seconds(setting);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Bad tokenauth setting: " + e.getMessage(), e);
        }
        if (every == null || every.isZero()) {
            throw new IllegalStateException("Bad tokenauth setting: " + setting.property()
                    + " must be a whole number of seconds above 0");
        }
        return every;
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (containerSecurity != null) {
            AuthConfigFactory.getFactory().removeServerAuthModule(containerSecurity);
            containerSecurity = null;
        }
        event.getServletContext().removeAttribute(AppServices.ATTRIBUTE);
        event.getServletContext().removeAttribute(TokenAuthFilter.AUTHENTICATOR_ATTRIBUTE);
        event.getServletContext().removeAttribute(AccountStatus.ATTRIBUTE);
        event.getServletContext().removeAttribute(HealthServlet.DATABASE_CHECK_ATTRIBUTE);
        event.getServletContext().removeAttribute(Metrics.ATTRIBUTE);
        event.getServletContext().removeAttribute(Outcomes.ATTRIBUTE);
        event.getServletContext().removeAttribute(MetricsAccess.ATTRIBUTE);
        if (maintenance != null) {
            maintenance.close();
            maintenance = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
    }

    /**
     * The time every record is made with, in whole milliseconds: databases keep less than the JDK's nanoseconds
     * (PostgreSQL rounds to microseconds), and a time the API returns must be the one stored, to the digit.
     */
    static Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
    }
}
