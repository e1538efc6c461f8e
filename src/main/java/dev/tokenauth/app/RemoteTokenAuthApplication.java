package dev.tokenauth.app;

import java.util.List;
import java.util.logging.Logger;

import dev.tokenauth.config.BadSetting;
import dev.tokenauth.config.Setting;
import dev.tokenauth.config.Settings;
import dev.tokenauth.config.TokenAuthConfig;
import dev.tokenauth.metrics.Metrics;
import dev.tokenauth.remote.RemoteTokenAuthenticator;
import dev.tokenauth.token.TokenFormat;
import dev.tokenauth.user.AccountStatus;
import dev.tokenauth.web.SessionLogin;
import dev.tokenauth.web.TokenGate;
import dev.tokenauth.web.TokenGuard;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * The filter's remote mode ({@code tokenauth.remote.url}): an application guarded by {@code TokenAuthFilter} asks a
 * tokenauth service about each token instead of keeping tokens itself. It opens no database (this class knows none:
 * no EclipseLink or Derby class is even loaded), serves no token endpoint, and keeps no audit trail; its sessions are
 * the application's own login's, whose users are all enabled as far as tokenauth knows. The failed-token throttle
 * per client address is this application's own.
 */
public class RemoteTokenAuthApplication implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(RemoteTokenAuthApplication.class.getName());

    private RemoteTokenAuthenticator authenticator;

    /** Whether the settings ask for remote mode. */
    static boolean wanted(Settings settings) {
        String url = settings.text(Setting.REMOTE_URL);
        return url != null && !url.isBlank();
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        TokenAuthConfig config;
        try {
            config = TokenAuthConfig.from(Settings.of(context));
            check(config, context);
        } catch (BadSetting e) {
            LOG.severe(() -> e.getMessage() + "; the application will not start");
            throw e;
        }
        TokenAuthConfig.Remote remote = config.remote();
        authenticator = RemoteTokenAuthenticator.of(remote.url().orElseThrow(), remote.token(), remote.timeout(),
                config.tokens().cacheSize(), config.tokens().cacheTtl());
        new TokenGuard(TokenGate.of(config.tokenCheck(), authenticator, Metrics.off()), AccountStatus.ALL_ENABLED,
                new SessionLogin(config.logins().sessionAttribute())).publish(context);
        LOG.info(() -> "tokenauth started in remote mode: tokens are checked by the " + authenticator.describe());
    }

    /** What remote mode cannot be: a bad introspection token, container security, the token service itself. */
    private static void check(TokenAuthConfig config, ServletContext context) {
        if (!TokenFormat.isWellFormed(config.remote().token())) {
            throw new BadSetting(Setting.REMOTE_TOKEN, config.remote().token(), "is not a tokenauth token (tka_...)");
        }
        if (config.containerSecurity()) {
            throw new BadSetting(Setting.CONTAINER_SECURITY, "true", "is not available with "
                    + Setting.REMOTE_URL.property() + ": the filter authenticates the application's API");
        }
        try {
            refuseTokenEndpoints(context, config.remote().url().get().toString());
        } catch (UnsupportedOperationException e) {
            // A listener the initializer added may not look (Servlet 4.4); the initializer looked itself.
        }
    }

    /** Refuses remote mode in an application that serves tokenauth's own endpoints: it is a token service. */
    static void refuseTokenEndpoints(ServletContext context, String url) {
        List<String> own = context.getServletRegistrations().values().stream().map(r -> r.getClassName())
                .filter(name -> name != null && (name.startsWith("dev.tokenauth.web.") || name.startsWith("dev.tokenauth.site.")))
                .sorted().toList();
        if (!own.isEmpty()) {
            throw new BadSetting(Setting.REMOTE_URL, url, "is for an application that adopts the filter; this one "
                    + "serves tokenauth's own endpoints (" + String.join(", ", own) + "), so it is a token service "
                    + "itself");
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        TokenGuard.withdraw(event.getServletContext());
        if (authenticator != null) {
            authenticator.close();
            authenticator = null;
        }
    }
}
