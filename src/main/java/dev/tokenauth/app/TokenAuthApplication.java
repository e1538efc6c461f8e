package dev.tokenauth.app;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.github.benmanes.caffeine.cache.Ticker;

import dev.tokenauth.admin.DatabaseBackups;
import dev.tokenauth.admin.UserAdministration;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.config.BadSetting;
import dev.tokenauth.config.Setting;
import dev.tokenauth.config.Settings;
import dev.tokenauth.config.TokenAuthConfig;
import dev.tokenauth.metrics.Metrics;
import dev.tokenauth.metrics.MetricsAccess;
import dev.tokenauth.persistence.Database;
import dev.tokenauth.persistence.DatabaseRefused;
import dev.tokenauth.persistence.JpaAuditStore;
import dev.tokenauth.persistence.JpaOutbox;
import dev.tokenauth.persistence.JpaTokenStore;
import dev.tokenauth.persistence.JpaUserStore;
import dev.tokenauth.throttle.LoginThrottle;
import dev.tokenauth.throttle.SharedAllowance;
import dev.tokenauth.token.NonBlockingRandom;
import dev.tokenauth.token.Scopes;
import dev.tokenauth.token.TokenChanges;
import dev.tokenauth.token.TokenPolicy;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.ValidationCache;
import dev.tokenauth.user.PasswordHasher;
import dev.tokenauth.user.UserService;
import dev.tokenauth.webhook.HttpWebhookReceiver;
import dev.tokenauth.webhook.RetryPolicy;
import dev.tokenauth.webhook.WebhookEventType;
import dev.tokenauth.webhook.WebhookSender;
import dev.tokenauth.webhook.WebhookSignature;
import dev.tokenauth.webhook.WebhookSubscription;
import dev.tokenauth.web.AppServices;
import dev.tokenauth.web.DeviceCookie;
import dev.tokenauth.web.LeakReports;
import dev.tokenauth.web.SessionLogin;
import dev.tokenauth.web.TokenGate;
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
    private WebhookDeliveries webhook;
    private ServletContext containerSecurity;
    private Metrics metrics;
    /** In remote mode ({@code tokenauth.remote.url}), all there is: nothing else is made. */
    private RemoteTokenAuthApplication remote;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        if (RemoteTokenAuthApplication.wanted(Settings.of(context))) {
            remote = new RemoteTokenAuthApplication();
            remote.contextInitialized(event);
            return;
        }
        TokenAuthConfig config;
        TokenPolicy policy;
        MetricsAccess metricsAccess;
        WebhookSubscription webhookEvents;
        try {
            config = TokenAuthConfig.from(Settings.of(context));
            policy = policy(config.tokens());
            webhookEvents = webhookEvents(config.webhook());
            metricsAccess = MetricsAccess.of(config.metrics().access(), config.metrics().scrapeSecret());
        } catch (BadSetting e) {
            LOG.severe(() -> e.getMessage() + "; the application will not start");
            throw e;
        }
        warnOfCheapPasswords(config.logins().passwordIterations());
        ValidationCache cache = ValidationCache.of(config.tokens().cacheSize(), config.tokens().cacheTtl(),
                Ticker.systemTicker());
        SecureRandom random = NonBlockingRandom.create();
        Clock clock = clock();
        DeviceCookie deviceCookie = deviceCookie(config.logins(), Clock.systemUTC(), random);
        try {
            database = Database.open(config.database(), Clock.systemUTC());
        } catch (DatabaseRefused e) {
            LOG.severe(() -> e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "tokenauth cannot open its database; the application will not start", e);
            throw e;
        }
        metrics = metricsAccess.mode() == MetricsAccess.Mode.OFF ? Metrics.off() : Metrics.prometheus();
        AuditTrail audit = new AuditTrail(new JpaAuditStore(database, webhookEvents), Clock.systemUTC(),
                metrics::audited);
        int dbTimeout = (int) config.database().timeout().toSeconds();
        TokenChanges changes = database.tokenChanges(cache, config.tokens().cacheNotify(), dbTimeout);
        JpaTokenStore tokenStore = new JpaTokenStore(database, webhookEvents);
        // Payara Micro's SIGTERM hook writes the last uses when the class loader loads nothing more: its path first here.
        tokenStore.prepareTheStopPath();
        TokenService tokens = new TokenService(metrics.timed(tokenStore), policy, audit,
                clock, random, cache, changes);
        metrics.bindCache(cache);
        metrics.bindDatabase(database.availability()::available);
        UserService users = new UserService(new JpaUserStore(database, clock),
                new PasswordHasher(config.logins().passwordIterations(), random));
        users.createInitialAdminIfNoUsers(config.adminPassword(), random);
        maintenance = new MaintenanceTasks(tokens, audit, config.background().lastUseInterval(),
                config.background().purgeInterval());
        maintenance.writeAtJvmStop();
        if (webhookEvents.wants(WebhookEventType.TOKEN_EXPIRING)) {
            maintenance.schedule("expiry warning", tokens::warnOfExpiry, config.background().lastUseInterval());
        }

        // The database of this start, for the tasks and services that outlive this method (the field is cleared at
        // the stop).
        Database opened = database;
        // On PostgreSQL the throttles count for the whole cluster (each failure also in TA_THROTTLE_BUCKET).
        SharedAllowance shared = opened.sharedAllowance(config.database().timeout(), Clock.systemUTC());
        if (shared.enabled()) {
            maintenance.schedule("throttle purge", () -> opened.purgeFullThrottleBuckets(),
                    config.background().purgeInterval());
        }
        LoginThrottle loginThrottle = LoginThrottle.of(config.logins().failuresPerAccount(),
                config.logins().failuresPerAddress(), config.logins().failuresPerDevice(), shared);
        TokenGate gate = TokenGate.of(config.tokenCheck(), tokens, metrics, shared);
        DatabaseBackups backups = backups(config.backups(), database, audit);
        if (backups.on()) {
            maintenance.scheduleBackups(backups, config.backups().interval());
        }
        // Last of the background work: nothing after it can stop the start and leave its thread running.
        config.webhook().url().ifPresent(url -> webhook = startWebhook(url, config, audit));
        new AppServices(tokens, users, new UserAdministration(users, tokens, audit, clock), audit,
                new SessionLogin(config.logins().sessionAttribute()), loginThrottle, deviceCookie, gate,
                () -> opened.answers(dbTimeout), metrics, metricsAccess, backups, LeakReports.of(config.leaks()))
                .publish(context);
        if (config.containerSecurity()) {
            // The container authenticates token requests itself: its constraints and isUserInRole see the owner.
            AuthConfigFactory.getFactory().registerServerAuthModule(new TokenServerAuthModule(gate, users::isAdmin),
                    context);
            containerSecurity = context;
        }
        LOG.info(() -> "tokenauth started: " + config.summary());
    }

    /** The events the webhook is sent: none without a URL; a bad list stops the start. */
    static WebhookSubscription webhookEvents(TokenAuthConfig.Webhook config) {
        WebhookSubscription events;
        try {
            events = WebhookSubscription.of(config.events());
        } catch (IllegalArgumentException e) {
            throw new BadSetting(Setting.WEBHOOK_EVENTS, config.events(), e.getMessage());
        }
        return config.url().isPresent() ? events : WebhookSubscription.NONE;
    }

    /** The webhook's sender on its own thread, its meters, and the purge of the events it ended. */
    private WebhookDeliveries startWebhook(java.net.URI url, TokenAuthConfig config, AuditTrail audit) {
        TokenAuthConfig.Webhook settings = config.webhook();
        JpaOutbox outbox = new JpaOutbox(database);
        WebhookSender sender = new WebhookSender(outbox,
                new HttpWebhookReceiver(url, new WebhookSignature(settings.secret()), settings.timeout()),
                new RetryPolicy(settings.firstRetry(), settings.retryFor()), settings.timeout(), audit, clock(),
                WebhookDeliveries.senderName());
        metrics.bindWebhook(sender);
        Duration retention = config.tokens().retention();
        maintenance.schedule("webhook purge", () -> outbox.purgeEndedBefore(clock().instant().minus(retention)),
                config.background().purgeInterval());
        return new WebhookDeliveries(sender, settings.timeout());
    }

    /** The embedded database's backups; a directory that cannot be written stops the start. */
    private static DatabaseBackups backups(TokenAuthConfig.Backups config, Database database, AuditTrail audit) {
        try {
            return DatabaseBackups.of(config.dir(), config.keep(), database.onlineBackup().map(copy -> copy::into),
                    audit, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            BadSetting bad = new BadSetting(Setting.BACKUP_DIR, config.dir().map(Path::toString).orElse(null),
                    e.getMessage());
            LOG.severe(() -> bad.getMessage() + "; the application will not start");
            throw bad;
        }
    }

    /** The token rules of the configuration; the scopes are checked here, where their rules live. */
    static TokenPolicy policy(TokenAuthConfig.TokenRules rules) {
        String scopeList = String.join(",", rules.scopes());
        Scopes scopes;
        try {
            scopes = Scopes.of(scopeList);
        } catch (IllegalArgumentException e) {
            throw new BadSetting(Setting.SCOPES, scopeList, e.getMessage());
        }
        atMostLongest(Setting.TOKEN_DEFAULT_LIFETIME, rules.defaultLifetime());
        atMostLongest(Setting.TOKEN_MAX_LIFETIME, rules.maxLifetime());
        atMostLongest(Setting.ROTATION_MAX_GRACE, Optional.of(rules.maxGrace()));
        return new TokenPolicy(rules.defaultLifetime().orElse(null), rules.maxLifetime().orElse(null),
                rules.defaultGrace(), rules.maxGrace(), rules.limitPerUser(), rules.retention(), scopes,
                rules.addressesKept());
    }

    /**
     * The device cookies' signer: with the configured key (a short one stops the start, never naming its value),
     * else with a key of this start alone, which is said once.
     */
    static DeviceCookie deviceCookie(TokenAuthConfig.Logins logins, Clock clock, SecureRandom random) {
        String key = logins.deviceCookieKey();
        if (key.isEmpty()) {
            LOG.info(() -> "tokenauth signs device cookies with a key of this start: set "
                    + Setting.DEVICE_COOKIE_KEY.property() + " to keep them across restarts and nodes");
            return DeviceCookie.withRandomKey(clock, random);
        }
        try {
            return DeviceCookie.withKey(key, clock, random);
        } catch (IllegalArgumentException e) {
            throw new BadSetting(Setting.DEVICE_COOKIE_KEY, key, e.getMessage());
        }
    }

    private static void atMostLongest(Setting setting, Optional<Duration> value) {
        if (value.isPresent() && value.get().compareTo(TokenPolicy.LONGEST) > 0) {
            throw new BadSetting(setting, Long.toString(value.get().toSeconds()), "must be at most "
                    + TokenPolicy.LONGEST.toSeconds() + " seconds (100 years)");
        }
    }

    /**
     * Fewer iterations than the default are allowed (a test server, a slow machine) but said once at start-up,
     * since they make stolen hashes cheaper to guess.
     */
    private static void warnOfCheapPasswords(int iterations) {
        if (iterations < PasswordHasher.DEFAULT_ITERATIONS) {
            LOG.warning(() -> Setting.PASSWORD_ITERATIONS.property() + "=" + iterations + " is below the "
                    + PasswordHasher.DEFAULT_ITERATIONS + " PBKDF2 iterations recommended for stored passwords");
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (remote != null) {
            remote.contextDestroyed(event);
            remote = null;
            return;
        }
        if (containerSecurity != null) {
            AuthConfigFactory.getFactory().removeServerAuthModule(containerSecurity);
            containerSecurity = null;
        }
        AppServices.withdraw(event.getServletContext());
        if (webhook != null) {
            webhook.close();
            webhook = null;
        }
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
