package dev.tokenauth.config;

/**
 * Every setting the application reads, with its default. Each is looked up, in this order, as a Java system
 * property ({@link #property()}), an environment variable ({@link #environmentVariable()}), a JNDI entry
 * ({@code java:comp/env/<property>}) or a context parameter (named {@link #property()}). Settings are the
 * application's: no filter reads its own init-parameters, so that every entry point (the filter, the Jakarta
 * Authentication module) agrees.
 */
public enum Setting {

    /**
     * For an application that adopts tokenauth as one dependency (its {@code TokenAuthInitializer}): {@code false}
     * registers nothing at all. Default: true.
     */
    ENABLED("tokenauth.enabled", "true"),
    /**
     * For an application that adopts tokenauth as one dependency: the path the filter guards and the endpoints live
     * under, e.g. {@code /services/api}. Default: {@code /api}.
     */
    API_PATH("tokenauth.api.path", "/api"),
    /**
     * For an application that adopts tokenauth as one dependency: the endpoints registered under the API path, a
     * comma-separated list of {@code create_token}, {@code revoke_token}, {@code rotate_token}, {@code tokens} and
     * {@code whoami}; {@code all} for those five, {@code none} for the filter alone. Default: all.
     */
    ENDPOINTS("tokenauth.endpoints", "all"),
    /**
     * For an application that adopts the filter: the base URL of a tokenauth service (e.g. {@code
     * https://tokens.example.com}) that the filter asks about each token ({@code POST <url>/api/introspect}, RFC 7662)
     * instead of opening a token database of its own. With it the application opens no database and serves no token
     * endpoints. Default: none (the filter reads the application's own token database).
     */
    REMOTE_URL("tokenauth.remote.url", null),
    /**
     * The token the filter introspects with in remote mode: a token of the service with the scope {@code
     * introspect}, which only an admin gives. Secret: give it by an environment variable or a JNDI entry, not in the
     * WAR. Needed with {@link #REMOTE_URL}.
     */
    REMOTE_TOKEN("tokenauth.remote.token", "", true),
    /**
     * Seconds the token service may take to accept a connection, and again to give its whole answer, before the
     * request is refused with 503. At most 60. Default: 2.
     */
    REMOTE_TIMEOUT("tokenauth.remote.timeout", "2"),
    /**
     * {@code true}: tokens are authenticated by the container itself, through a Jakarta Authentication (JASPIC)
     * module registered at start-up, so that the application's security constraints, {@code isUserInRole} and
     * {@code getUserPrincipal} see a token's owner, with the token's scopes (and {@code admin}) as roles.
     * Default: false.
     */
    CONTAINER_SECURITY("tokenauth.container.security", "false"),
    /** Directory of the embedded Derby database. Default: {@code ~/.tokenauth}. */
    DATA_DIR("tokenauth.data.dir", null),
    /**
     * JNDI name of a container DataSource to use when the container has one; {@code none} never looks.
     * Default: {@code jdbc/tokenauth}, looked up as {@code java:comp/env/jdbc/tokenauth}, then as given.
     */
    DATASOURCE("tokenauth.datasource", "jdbc/tokenauth"),
    /** JDBC URL of the database. Default: embedded Derby in {@code <data dir>/derby}, created on first start. */
    DB_URL("tokenauth.db.url", null),
    /** Database user. Default: none. */
    DB_USER("tokenauth.db.user", ""),
    /** Database password. Default: none. */
    DB_PASSWORD("tokenauth.db.password", "", true),
    /**
     * Seconds any one wait on the database may take (a query, a connection from the application's own pool, a
     * readiness check) before the request is refused with 503; a server DataSource bounds its own waits, and a hung
     * database needs the driver's socket timeout too (README). Default: 2.
     */
    DB_TIMEOUT("tokenauth.db.timeout", "2"),
    /** JDBC driver class. Default: Derby's for a {@code jdbc:derby:} URL, otherwise found by the JDBC URL. */
    DB_DRIVER("tokenauth.db.driver", ""),
    /**
     * The time zone in which a tokenauth before schema version 6 (9a1a513) wrote its times, which it stored without
     * a zone: the upgrade to version 6 reads them as wall-clock times of this zone. Set it when the server that ran
     * the earlier version had another zone than this JVM (a move into a container, which runs in UTC, is the usual
     * case). An IANA name such as {@code America/New_York}. Default: this JVM's zone.
     */
    UPGRADE_TIMEZONE("tokenauth.upgrade.timezone", null),
    /**
     * Directory of the embedded database's online backups (Derby's {@code SYSCS_BACKUP_DATABASE}, while requests go
     * on): every {@link #BACKUP_INTERVAL}, and at {@code POST /api/admin/backup}. Embedded Derby only; a server
     * database is backed up with its own tools. Default: none (no backups).
     */
    BACKUP_DIR("tokenauth.backup.dir", null),
    /** Seconds between two scheduled backups. Default: 86400 (a day). */
    BACKUP_INTERVAL("tokenauth.backup.interval", "86400"),
    /** How many backups to keep; older ones are deleted after each new one. Default: 7. */
    BACKUP_KEEP("tokenauth.backup.keep", "7"),
    /** Password of the admin user created on first start. Default: generated and logged once. */
    ADMIN_PASSWORD("tokenauth.admin.password", "", true),
    /** Also accept {@code Authorization: Bearer <token>}. Default: false. */
    ALLOW_BEARER("tokenauth.auth.bearer", "false"),
    /** Realm named in {@code WWW-Authenticate}. Default: {@code api}. */
    REALM("tokenauth.auth.realm", "api"),
    /**
     * PBKDF2-HMAC-SHA256 iterations of a newly stored password (each hash records its own count, so a change
     * applies to passwords set afterwards, and older ones keep working). Default: 600000, OWASP's recommendation.
     */
    PASSWORD_ITERATIONS("tokenauth.password.iterations", "600000"),
    /** Failed logins allowed per account within 15 minutes, then one more every 30 seconds; 0 turns it off. */
    THROTTLE_LOGIN_ACCOUNT("tokenauth.throttle.login.account", "30"),
    /** Failed logins allowed per client address within a minute, then one more every 6 seconds; 0 turns it off. */
    THROTTLE_LOGIN_ADDRESS("tokenauth.throttle.login.address", "10"),
    /**
     * Failed logins allowed per trusted device within 15 minutes, then one more every 90 seconds; 0 turns it off. A
     * trusted device is a browser that presents a valid device cookie ({@link #DEVICE_COOKIE_KEY}) for the name it
     * tries, given at its last successful login as that name. Its attempts are counted here alone: the account's
     * and the address's lockouts do not stop them and they count against neither, so that the owner's known browser
     * still gets in while a guesser is locked out; a device that uses up its own allowance is refused (429) for the
     * window, even with the right password. Attempts without such a cookie count against the account and the
     * address as ever. Default: 10.
     */
    THROTTLE_LOGIN_DEVICE("tokenauth.throttle.login.device", "10"),
    /**
     * The key that signs device cookies (HMAC-SHA256), at least 32 characters (a shorter one stops the start); every
     * node behind one balancer needs the same key to accept the others' cookies. Secret: whoever has it can make a
     * device cookie for any account and guess past its lockout. Default: none, a random key at each start, so that
     * device cookies do not survive a restart (their browsers are then untrusted until their next successful login).
     */
    DEVICE_COOKIE_KEY("tokenauth.device.cookie.key", "", true),
    /**
     * Failed token authentications allowed per client address within 3 minutes, then one more every 6 seconds
     * (meanwhile every token request from the address is refused, save for tokens that authenticated within the last
     * day, which are still checked); 0 turns it off.
     */
    THROTTLE_TOKEN_ADDRESS("tokenauth.throttle.token.address", "30"),
    /**
     * Whether {@code POST /api/credentials/revoke} takes reports of leaked tokens from anyone (no authentication);
     * false answers it 404. Default: true.
     */
    LEAKS_ENDPOINT("tokenauth.leaks.endpoint", "true"),
    /** Leaked-token reports one client address may send per hour; 0 turns the throttle off. Default: 60. */
    LEAKS_THROTTLE("tokenauth.leaks.throttle", "60"),
    /**
     * Where events are posted (an absolute http or https URL), as JSON signed with {@link #WEBHOOK_SECRET}; see
     * README's "Webhook". Secret: a webhook's path is often its credential (Slack's, Teams'), so it is never shown
     * (the log names its scheme, host and port). Default: none (no webhook, no outbox rows).
     */
    WEBHOOK_URL("tokenauth.webhook.url", null, true),
    /** The key of the deliveries' HMAC-SHA256 signature, at least 32 characters; needed with a URL. */
    WEBHOOK_SECRET("tokenauth.webhook.secret", "", true),
    /**
     * What the webhook is sent: {@code default} (token.expiring, token.leaked, token.reuse_detected,
     * throttle.lockout, user.disabled), {@code all} (those and token.created, token.revoked), or a comma-separated
     * list of those names. Default: default.
     */
    WEBHOOK_EVENTS("tokenauth.webhook.events", "default"),
    /** Seconds the webhook may take to accept a connection, and again to answer each read. At most 60. Default: 5. */
    WEBHOOK_TIMEOUT("tokenauth.webhook.timeout", "5"),
    /** Seconds before a failed delivery is tried again, doubled at each failure up to an hour. Default: 10. */
    WEBHOOK_RETRY_FIRST("tokenauth.webhook.retry.first", "10"),
    /**
     * Seconds after an event during which its delivery is retried; then it is given up (audited as
     * WEBHOOK_GAVE_UP). Default: 86400 (a day).
     */
    WEBHOOK_RETRY_FOR("tokenauth.webhook.retry.for", "86400"),
    /** Session attribute holding the name of a user logged in by the application. */
    SESSION_USER_ATTRIBUTE("tokenauth.session.attribute", "dev.tokenauth.user"),
    /** Lifetime in seconds of a token created without {@code expires_in}. Default: none (tokens do not expire). */
    TOKEN_DEFAULT_LIFETIME("tokenauth.token.lifetime.default", "none"),
    /** The longest lifetime in seconds that any token may have. Default: none. */
    TOKEN_MAX_LIFETIME("tokenauth.token.lifetime.max", "none"),
    /** Seconds a rotated token keeps working when the request names no {@code grace_seconds}. Default: 86400. */
    ROTATION_GRACE("tokenauth.token.rotation.grace", "86400"),
    /** The longest {@code grace_seconds} a rotation may ask for. Default: 604800 (seven days). */
    ROTATION_MAX_GRACE("tokenauth.token.rotation.grace.max", "604800"),
    /**
     * The scopes the application knows, separated by commas: lower-case names; {@code read} (every GET and HEAD of
     * the built-in endpoints) and {@code write} (every other method, token management included) must be among them,
     * an application may add its own. Default: {@code read,write}.
     */
    SCOPES("tokenauth.scopes", "read,write"),
    /** How many active tokens one user may hold. Default: 10. */
    TOKEN_LIMIT("tokenauth.token.limit", "10"),
    /** How many tokens the validation cache keeps; 0 turns it off. Default: 10000. */
    TOKEN_CACHE_SIZE("tokenauth.token.cache.size", "10000"),
    /**
     * Seconds a cached token's state is trusted before it is read again; 0 turns the cache off. A change made by
     * another server on the same database counts within this time. Default: 1.
     */
    TOKEN_CACHE_TTL("tokenauth.token.cache.ttl", "1"),
    /**
     * On PostgreSQL, tell the other servers on the database of every revocation, rotation and disabling with
     * LISTEN/NOTIFY, so that their caches drop the token at once; {@code false} for a connection pooler that cannot
     * LISTEN (PgBouncer in transaction mode), which leaves the cache's age as the bound. Default: true.
     */
    TOKEN_CACHE_NOTIFY("tokenauth.token.cache.notify", "true"),
    /** Seconds between writes of last-use times (at most this much is lost in a crash). Default: 60. */
    LAST_USED_INTERVAL("tokenauth.token.lastused.interval", "60"),
    /**
     * How many of the most recent distinct client addresses each token keeps, with the time of its last use from each
     * (shown in {@code GET /api/tokens}, kept until the token is purged); 0 keeps none. At most 20. Default: 5.
     */
    LAST_USED_ADDRESSES("tokenauth.token.lastused.addresses", "5"),
    /** Seconds revoked and expired tokens are kept before they are purged. Default: 2592000 (30 days). */
    TOKEN_RETENTION("tokenauth.token.retention", "2592000"),
    /** Seconds between purges of ended tokens. Default: 3600. */
    PURGE_INTERVAL("tokenauth.token.purge.interval", "3600"),
    /**
     * Who may read {@code GET /metrics} (Prometheus text): {@code admin}, admins by login session or token, and a
     * scraper that presents {@link #METRICS_TOKEN}; {@code open}, anyone (only where no one but the operator's
     * network reaches the server); {@code off}, no meters are kept and {@code /metrics} is 404. Default: admin.
     */
    METRICS("tokenauth.metrics", "admin"),
    /**
     * The scraper's shared secret: a request with {@code Authorization: Bearer <secret>} reads {@code /metrics}
     * without a user (compared in constant time); at least 32 characters. Default: none (admins only).
     */
    METRICS_TOKEN("tokenauth.metrics.token", "", true);

    private final String property;
    private final String defaultValue;
    private final boolean secret;

    Setting(String property, String defaultValue) {
        this(property, defaultValue, false);
    }

    Setting(String property, String defaultValue, boolean secret) {
        this.property = property;
        this.defaultValue = defaultValue;
        this.secret = secret;
    }

    /** A password or key: its value is never shown, in an error or a log line. */
    public boolean secret() {
        return secret;
    }

    public String property() {
        return property;
    }

    /** The property name in upper case with dots as underscores: {@code tokenauth.data.dir} → {@code TOKENAUTH_DATA_DIR}. */
    public String environmentVariable() {
        return property.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    }

    /** The default, or null where it is derived from other settings. */
    public String defaultValue() {
        return defaultValue;
    }
}
