package dev.tokenauth.app;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

import dev.tokenauth.config.BadSetting;
import dev.tokenauth.config.Setting;
import dev.tokenauth.config.Settings;
import dev.tokenauth.web.CreateTokenServlet;
import dev.tokenauth.web.CsrfFilter;
import dev.tokenauth.web.RevokeTokenServlet;
import dev.tokenauth.web.RotateTokenServlet;
import dev.tokenauth.web.TokenAuthFilter;
import dev.tokenauth.web.TokensServlet;
import dev.tokenauth.web.WhoAmIServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;

/**
 * tokenauth in another application from its jar alone, with no line of web.xml: the container runs this at start-up
 * (META-INF/services), and it registers the listener that opens the token store, {@link TokenAuthFilter} and the
 * CSRF check on {@code <tokenauth.api.path>/*} (default {@code /api/*}), and the token endpoints under that path
 * ({@code tokenauth.endpoints}). The jar's web fragment is named {@code tokenauth}, so that an application's
 * {@code <absolute-ordering>} can leave it out; {@code tokenauth.enabled=false} turns it off too.
 * <p>
 * With {@code tokenauth.remote.url} (remote mode) it registers {@link RemoteTokenAuthApplication} instead, and no
 * endpoint: the token service has them.
 * <p>
 * An application whose own web.xml registers TokenAuthFilter (as tokenauth.war does, and the applications that
 * adopted it before this) is left as it is: nothing is registered twice.
 */
public final class TokenAuthInitializer implements ServletContainerInitializer {

    private static final Logger LOG = Logger.getLogger(TokenAuthInitializer.class.getName());

    /** The endpoints an application may expose, by the name in {@code tokenauth.endpoints} (also the path). */
    static final Map<String, Class<? extends HttpServlet>> ENDPOINTS = endpoints();

    private static Map<String, Class<? extends HttpServlet>> endpoints() {
        Map<String, Class<? extends HttpServlet>> endpoints = new LinkedHashMap<>();
        endpoints.put("create_token", CreateTokenServlet.class);
        endpoints.put("revoke_token", RevokeTokenServlet.class);
        endpoints.put("rotate_token", RotateTokenServlet.class);
        endpoints.put("tokens", TokensServlet.class);
        endpoints.put("whoami", WhoAmIServlet.class);
        return Map.copyOf(endpoints);
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        Settings settings = Settings.of(context);
        if (!settings.flag(Setting.ENABLED)) {
            LOG.info(() -> "tokenauth is off in " + name(context) + " (" + Setting.ENABLED.property() + "=false)");
            return;
        }
        if (registeredByTheApplication(context)) {
            return;
        }
        String api = apiPath(settings.get(Setting.API_PATH));
        boolean remote = RemoteTokenAuthApplication.wanted(settings);
        if (remote) {
            RemoteTokenAuthApplication.refuseTokenEndpoints(context, settings.get(Setting.REMOTE_URL));
        }
        // In remote mode the token service serves the endpoints: here there is no token store to serve them from.
        Set<String> endpoints = remote ? Set.of() : endpoints(settings.get(Setting.ENDPOINTS));
        context.addListener(remote ? RemoteTokenAuthApplication.class : TokenAuthApplication.class);
        // Before the application's own filters (false: not after them), so that its code under the path only
        // ever sees a caller tokenauth let in.
        guard(context, "TokenAuth", TokenAuthFilter.class, api);
        guard(context, "TokenAuthCsrf", CsrfFilter.class, api);
        for (String endpoint : ENDPOINTS.keySet()) {
            if (endpoints.contains(endpoint)) {
                Set<String> taken = context.addServlet("tokenauth-" + endpoint, ENDPOINTS.get(endpoint))
                        .addMapping(api + "/" + endpoint);
                if (!taken.isEmpty()) {
                    throw new IllegalStateException("tokenauth cannot serve " + taken + ": the application maps it"
                            + " already; leave it out of " + Setting.ENDPOINTS.property());
                }
            }
        }
        LOG.info(() -> "tokenauth guards " + api + "/* in " + name(context) + "; endpoints: "
                + (endpoints.isEmpty() ? "none" : String.join(", ", sorted(endpoints)))
                + (remote ? " (remote mode: tokens are checked by the token service at "
                        + settings.get(Setting.REMOTE_URL) + ")" : ""));
    }

    private static void guard(ServletContext context, String name, Class<? extends Filter> filter, String api) {
        FilterRegistration.Dynamic registration = context.addFilter(name, filter);
        registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, api + "/*");
    }

    private static boolean registeredByTheApplication(ServletContext context) {
        return context.getFilterRegistrations().values().stream()
                .anyMatch(r -> TokenAuthFilter.class.getName().equals(r.getClassName()));
    }

    /** The API path as a servlet path prefix: {@code /api}, {@code /services/api}; never the whole application. */
    static String apiPath(String value) {
        String path = value == null ? "" : value.trim();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.startsWith("/") || path.length() < 2 || path.contains("*") || path.contains("//")) {
            throw new BadSetting(Setting.API_PATH, value, "must be a path such as /api or /services/api");
        }
        return path;
    }

    /** The endpoints {@code tokenauth.endpoints} names: all, none, or a list of {@link #ENDPOINTS}' names. */
    static Set<String> endpoints(String value) {
        String list = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (list.equals("all")) {
            return ENDPOINTS.keySet();
        }
        if (list.equals("none")) {
            return Set.of();
        }
        Set<String> chosen = new java.util.HashSet<>();
        for (String name : list.split(",")) {
            String endpoint = name.trim();
            if (!ENDPOINTS.containsKey(endpoint)) {
                throw new BadSetting(Setting.ENDPOINTS, value, "names '" + endpoint + "'; it takes all, none, or a "
                        + "list of " + String.join(", ", sorted(ENDPOINTS.keySet())));
            }
            chosen.add(endpoint);
        }
        return Set.copyOf(chosen);
    }

    private static java.util.List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    private static String name(ServletContext context) {
        String path = context.getContextPath();
        return path.isEmpty() ? "the root application" : path;
    }
}
