package dev.tokenauth.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the application, read once at start and checked: a bad one stops the start with a
 * {@link BadSetting}. Immutable; secrets are kept but never shown ({@link #summary()} and {@code toString} leave them
 * out).
 */
public record TokenAuthConfig(DatabaseConfig database, TokenRules tokens, TokenCheck tokenCheck, Logins logins,
        Background background, MetricsConfig metrics, Backups backups, boolean containerSecurity,
        String adminPassword, Leaks leaks, Webhook webhook, Remote remote) {

    /**
     * The token service the filter asks in remote mode (empty: the application's own token database), the token it
     * asks with, and the bound on each wait for it.
     */
    public record Remote(Optional<java.net.URI> url, String token, Duration timeout) {

        public boolean on() {
            return url.isPresent();
        }

        @Override
        public String toString() {
            return "Remote[url=" + url.map(Object::toString).orElse("none") + ", token=" + (token.isEmpty() ? "none"
                    : "set") + ", timeout=" + timeout + "]";
        }
    }

    /**
     * Where events are posted (empty: nowhere), the key that signs them, which events (the setting's text, read by
     * the webhook's own rules), the bound on each wait, and the retries' first wait and bound.
     */
    public record Webhook(Optional<java.net.URI> url, String secret, String events, Duration timeout,
            Duration firstRetry, Duration retryFor) {

        /** The shortest secret accepted: as long as the other keys' (a device cookie's, a scraper's). */
        public static final int SHORTEST_SECRET = 32;

        @Override
        public String toString() {
            return "Webhook[url=" + url.map(u -> u.getScheme() + "://" + u.getHost()).orElse("none") + ", secret="
                    + (secret.isEmpty() ? "none" : "set") + ", events=" + events + ", timeout=" + timeout
                    + ", firstRetry=" + firstRetry + ", retryFor=" + retryFor + "]";
        }
    }

    /** The endpoint for leaked tokens: whether it is on, and how many reports an address may send per hour. */
    public record Leaks(boolean endpoint, int reportsPerHour) {
    }

    /**
     * Where the data lives, how long any one wait on the database may take, and the zone in which versions before
     * schema 6 wrote their times.
     */
    public record DatabaseConfig(String dataSource, boolean dataSourceRequired, String url, String user,
            String password, String driver, Path dataDir, Duration timeout, ZoneId legacyZone) {
        @Override
        public String toString() {
            return "DatabaseConfig[dataSource=" + dataSource + ", url=" + (url == null ? "embedded Derby" : "set")
                    + ", dataDir=" + dataDir + ", timeout=" + timeout + ", legacyZone=" + legacyZone + "]";
        }
    }

    /** The token rules' limits, and the validation cache. */
    public record TokenRules(Optional<Duration> defaultLifetime, Optional<Duration> maxLifetime, Duration defaultGrace,
            Duration maxGrace, int limitPerUser, Duration retention, List<String> scopes, int cacheSize,
            Duration cacheTtl, boolean cacheNotify, int addressesKept) {
    }

    /** What the token gate accepts and allows. */
    public record TokenCheck(boolean allowBearer, String realm, int failuresPerAddress) {
    }

    /**
     * The browser login's throttles, its password cost, where the session keeps its user, and the key of the device
     * cookies (empty: a key of this start alone).
     */
    public record Logins(int failuresPerAccount, int failuresPerAddress, int failuresPerDevice, int passwordIterations,
            String sessionAttribute, String deviceCookieKey) {
        @Override
        public String toString() {
            return "Logins[failuresPerAccount=" + failuresPerAccount + ", failuresPerAddress=" + failuresPerAddress
                    + ", failuresPerDevice=" + failuresPerDevice + ", passwordIterations=" + passwordIterations
                    + ", sessionAttribute=" + sessionAttribute + ", deviceCookieKey="
                    + (deviceCookieKey.isEmpty() ? "none" : "set") + "]";
        }
    }

    /** How often the background tasks run. */
    public record Background(Duration lastUseInterval, Duration purgeInterval) {
    }

    /** Where the embedded database's backups go (none: no backups), how often, and how many are kept. */
    public record Backups(Optional<Path> dir, Duration interval, int keep) {
    }

    /** Who may read the metrics, and the scraper's secret (empty for none). */
    public record MetricsConfig(String access, String scrapeSecret) {
        @Override
        public String toString() {
            return "MetricsConfig[access=" + access + ", scrapeSecret=" + (scrapeSecret.isEmpty() ? "none" : "set") + "]";
        }
    }

    /** Reads and checks every setting; the first bad one stops here. */
    public static TokenAuthConfig from(Settings s) {
        String dataSource = s.text(Setting.DATASOURCE);
        String dataDir = s.text(Setting.DATA_DIR);
        DatabaseConfig database = new DatabaseConfig(dataSource, !dataSource.equals(Setting.DATASOURCE.defaultValue()),
                s.text(Setting.DB_URL), s.text(Setting.DB_USER), s.text(Setting.DB_PASSWORD), s.text(Setting.DB_DRIVER),
                dataDir != null ? Path.of(dataDir) : Path.of(System.getProperty("user.home"), ".tokenauth"),
                s.positiveDuration(Setting.DB_TIMEOUT), s.zone(Setting.UPGRADE_TIMEZONE));

        Optional<Duration> defaultLifetime = s.optionalDuration(Setting.TOKEN_DEFAULT_LIFETIME);
        Optional<Duration> maxLifetime = s.optionalDuration(Setting.TOKEN_MAX_LIFETIME);
        if (defaultLifetime.isPresent() && maxLifetime.isPresent() && defaultLifetime.get().compareTo(maxLifetime.get()) > 0) {
            throw new BadSetting(Setting.TOKEN_DEFAULT_LIFETIME, s.text(Setting.TOKEN_DEFAULT_LIFETIME),
                    "must not exceed " + Setting.TOKEN_MAX_LIFETIME.property() + " (" + maxLifetime.get().toSeconds() + ")");
        }
        Duration defaultGrace = s.duration(Setting.ROTATION_GRACE);
        Duration maxGrace = s.duration(Setting.ROTATION_MAX_GRACE);
        if (defaultGrace.compareTo(maxGrace) > 0) {
            throw new BadSetting(Setting.ROTATION_GRACE, s.text(Setting.ROTATION_GRACE),
                    "must not exceed " + Setting.ROTATION_MAX_GRACE.property() + " (" + maxGrace.toSeconds() + ")");
        }
        TokenRules tokens = new TokenRules(defaultLifetime, maxLifetime, defaultGrace, maxGrace,
                s.count(Setting.TOKEN_LIMIT, 1), s.positiveDuration(Setting.TOKEN_RETENTION), s.list(Setting.SCOPES),
                s.count(Setting.TOKEN_CACHE_SIZE, 0), s.duration(Setting.TOKEN_CACHE_TTL),
                s.flag(Setting.TOKEN_CACHE_NOTIFY), addressesKept(s));

        String realm = s.text(Setting.REALM);
        if (realm.contains("\"") || realm.contains("\\")) {
            throw new BadSetting(Setting.REALM, realm, "must contain no quote or backslash");
        }
        TokenCheck tokenCheck = new TokenCheck(s.flag(Setting.ALLOW_BEARER), realm,
                s.count(Setting.THROTTLE_TOKEN_ADDRESS, 0));

        Logins logins = new Logins(s.count(Setting.THROTTLE_LOGIN_ACCOUNT, 0), s.count(Setting.THROTTLE_LOGIN_ADDRESS, 0),
                s.count(Setting.THROTTLE_LOGIN_DEVICE, 0), s.count(Setting.PASSWORD_ITERATIONS, 1),
                s.text(Setting.SESSION_USER_ATTRIBUTE), s.text(Setting.DEVICE_COOKIE_KEY));

        Background background = new Background(s.positiveDuration(Setting.LAST_USED_INTERVAL),
                s.positiveDuration(Setting.PURGE_INTERVAL));

        MetricsConfig metrics = new MetricsConfig(s.oneOf(Setting.METRICS, "admin", "open", "off"),
                s.text(Setting.METRICS_TOKEN));

        String backupDir = s.text(Setting.BACKUP_DIR);
        Backups backups = new Backups(Optional.ofNullable(backupDir).map(Path::of),
                s.positiveDuration(Setting.BACKUP_INTERVAL), s.count(Setting.BACKUP_KEEP, 1));

        return new TokenAuthConfig(database, tokens, tokenCheck, logins, background, metrics, backups,
                s.flag(Setting.CONTAINER_SECURITY), s.text(Setting.ADMIN_PASSWORD),
                new Leaks(s.flag(Setting.LEAKS_ENDPOINT), s.count(Setting.LEAKS_THROTTLE, 0)), webhook(s),
                remote(s));
    }

    /** The remote mode's settings: a base URL with no user, query or fragment; its token; a bound of 60 s at most. */
    public static Remote remote(Settings s) {
        String url = s.text(Setting.REMOTE_URL);
        Optional<java.net.URI> service = Optional.empty();
        if (url != null && !url.isBlank()) {
            java.net.URI uri = httpUrl(Setting.REMOTE_URL, url);
            if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new BadSetting(Setting.REMOTE_URL, url, "must be a base URL such as https://tokens.example.com,"
                        + " with no user, query or fragment (the token goes in " + Setting.REMOTE_TOKEN.property()
                        + ")");
            }
            service = Optional.of(uri);
        }
        String token = s.text(Setting.REMOTE_TOKEN);
        if (service.isPresent() && token.isEmpty()) {
            throw new BadSetting(Setting.REMOTE_TOKEN, token, "is needed with " + Setting.REMOTE_URL.property()
                    + ": a token of the service with the scope introspect");
        }
        Duration timeout = s.positiveDuration(Setting.REMOTE_TIMEOUT);
        if (timeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new BadSetting(Setting.REMOTE_TIMEOUT, s.text(Setting.REMOTE_TIMEOUT), "must be at most 60");
        }
        return new Remote(service, token, timeout);
    }

    /** An absolute http or https URL with a host, else the start stops naming {@code setting}. */
    private static java.net.URI httpUrl(Setting setting, String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url.trim());
        } catch (java.net.URISyntaxException e) {
            throw new BadSetting(setting, url, "must be an absolute http or https URL");
        }
        if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme().toLowerCase(
                java.util.Locale.ROOT)) || uri.getHost() == null) {
            throw new BadSetting(setting, url, "must be an absolute http or https URL");
        }
        return uri;
    }

    private static Webhook webhook(Settings s) {
        String url = s.text(Setting.WEBHOOK_URL);
        Optional<java.net.URI> target = Optional.empty();
        if (url != null && !url.isBlank()) {
            target = Optional.of(httpUrl(Setting.WEBHOOK_URL, url));
        }
        String secret = s.text(Setting.WEBHOOK_SECRET);
        if (target.isPresent() && secret.length() < Webhook.SHORTEST_SECRET) {
            throw new BadSetting(Setting.WEBHOOK_SECRET, secret, secret.isEmpty() ? "is needed with "
                    + Setting.WEBHOOK_URL.property() : "must be at least " + Webhook.SHORTEST_SECRET + " characters");
        }
        Duration timeout = s.positiveDuration(Setting.WEBHOOK_TIMEOUT);
        if (timeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new BadSetting(Setting.WEBHOOK_TIMEOUT, s.text(Setting.WEBHOOK_TIMEOUT), "must be at most 60");
        }
        Duration first = s.positiveDuration(Setting.WEBHOOK_RETRY_FIRST);
        if (first.compareTo(Duration.ofHours(1)) > 0) {
            throw new BadSetting(Setting.WEBHOOK_RETRY_FIRST, s.text(Setting.WEBHOOK_RETRY_FIRST),
                    "must be at most 3600");
        }
        return new Webhook(target, secret, s.text(Setting.WEBHOOK_EVENTS), timeout, first,
                s.positiveDuration(Setting.WEBHOOK_RETRY_FOR));
    }

    /** The most addresses a token may keep: a list people read, not a log. */
    static final int MOST_ADDRESSES_KEPT = 20;

    private static int addressesKept(Settings s) {
        int keep = s.count(Setting.LAST_USED_ADDRESSES, 0);
        if (keep > MOST_ADDRESSES_KEPT) {
            throw new BadSetting(Setting.LAST_USED_ADDRESSES, s.text(Setting.LAST_USED_ADDRESSES),
                    "must be at most " + MOST_ADDRESSES_KEPT);
        }
        return keep;
    }

    /** The settings in one line for the start-up log, secrets left out. */
    public String summary() {
        return "database timeout " + database.timeout().toSeconds() + " s; tokens: default lifetime "
                + seconds(tokens.defaultLifetime()) + ", max lifetime " + seconds(tokens.maxLifetime()) + ", grace "
                + tokens.defaultGrace().toSeconds() + " s (max " + tokens.maxGrace().toSeconds() + " s), "
                + tokens.limitPerUser() + " per user, kept " + tokens.retention().toSeconds() + " s after their end, scopes "
                + String.join(",", tokens.scopes()) + ", addresses kept per token " + tokens.addressesKept() + "; cache " + (tokens.cacheSize() == 0 || tokens.cacheTtl().isZero()
                        ? "off" : tokens.cacheSize() + " entries for " + tokens.cacheTtl().toSeconds() + " s")
                + (tokens.cacheNotify() ? ", notified" : "") + "; token check: Token" + (tokenCheck.allowBearer()
                        ? ", Bearer" : "") + ", realm " + tokenCheck.realm() + ", " + limit(tokenCheck.failuresPerAddress())
                + " failed per address in 3 min; logins: " + limit(logins.failuresPerAccount()) + " failed per account in 15 min, "
                + limit(logins.failuresPerAddress()) + " per address a minute, " + limit(logins.failuresPerDevice())
                + " per known device in 15 min (device key " + (logins.deviceCookieKey().isEmpty() ? "of this start"
                        : "set") + "), " + logins.passwordIterations()
                + " PBKDF2 iterations; last use written every " + background.lastUseInterval().toSeconds()
                + " s, purge every " + background.purgeInterval().toSeconds() + " s; metrics " + metrics.access()
                + (metrics.scrapeSecret().isEmpty() ? "" : " (scrape secret set)") + "; backups "
                + backups.dir().map(d -> "into " + d + " every " + backups.interval().toSeconds() + " s, "
                        + backups.keep() + " kept").orElse("off") + "; container security "
                + (containerSecurity ? "on" : "off") + "; webhook " + webhook.url().map(u -> "to " + u.getScheme()
                        + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + " (" + webhook.events()
                        + "), timeout " + webhook.timeout().toSeconds() + " s, retried from "
                        + webhook.firstRetry().toSeconds() + " s for " + webhook.retryFor().toSeconds() + " s")
                        .orElse("off") + (remote.on() ? "; remote token service " + remote.url().get() + ", timeout "
                        + remote.timeout().toSeconds() + " s" : "");
    }

    @Override
    public String toString() {
        return "TokenAuthConfig[" + summary() + "]";
    }

    private static String seconds(Optional<Duration> d) {
        return d.map(x -> x.toSeconds() + " s").orElse("none");
    }

    private static String limit(int n) {
        return n == 0 ? "unlimited" : Integer.toString(n);
    }
}
