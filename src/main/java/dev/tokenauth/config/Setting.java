package dev.tokenauth.config;

/**
 * Every setting the application reads, with its default. Each is looked up, in this order, as a Java system
 * property ({@link #property()}), an environment variable ({@link #environmentVariable()}), a filter
 * init-parameter (for the filter's own settings) or a context parameter (both named {@link #property()}).
 */
public enum Setting {

    /** Directory of the embedded Derby database. Default: {@code ~/.tokenauth}. */
    DATA_DIR("tokenauth.data.dir", null),
    /** JDBC URL of the database. Default: embedded Derby in {@code <data dir>/derby}, created on first start. */
    DB_URL("tokenauth.db.url", null),
    /** Database user. Default: none. */
    DB_USER("tokenauth.db.user", ""),
    /** Database password. Default: none. */
    DB_PASSWORD("tokenauth.db.password", ""),
    /** JDBC driver class. Default: Derby's for a {@code jdbc:derby:} URL, otherwise found by the JDBC URL. */
    DB_DRIVER("tokenauth.db.driver", ""),
    /** Password of the admin user created on first start. Default: generated and logged once. */
    ADMIN_PASSWORD("tokenauth.admin.password", ""),
    /** Also accept {@code Authorization: Bearer <token>}. Default: false. */
    ALLOW_BEARER("tokenauth.auth.bearer", "false"),
    /** Realm named in {@code WWW-Authenticate}. Default: {@code api}. */
    REALM("tokenauth.auth.realm", "api"),
    /** Session attribute holding the name of a user logged in by the application. */
    SESSION_USER_ATTRIBUTE("tokenauth.session.attribute", "dev.tokenauth.user");

    private final String property;
    private final String defaultValue;

    Setting(String property, String defaultValue) {
        this.property = property;
        this.defaultValue = defaultValue;
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
