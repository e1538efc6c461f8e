package dev.tokenauth.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Objects;
import java.util.function.UnaryOperator;

import jakarta.servlet.ServletContext;

/**
 * Resolves {@link Setting}s: system property, then environment variable, then a JNDI entry of the application
 * ({@code java:comp/env/<property>}: a web.xml {@code <env-entry>}, or a server's own, such as Tomcat's
 * {@code <Environment>} in a context.xml), then the deployment descriptor's context parameter, then the default. The
 * operator who starts the server overrides what the WAR was deployed with.
 */
public final class Settings {

    private final UnaryOperator<String> systemProperties;
    private final UnaryOperator<String> environment;
    private final UnaryOperator<String> jndi;
    private final UnaryOperator<String> descriptor;

    Settings(UnaryOperator<String> systemProperties, UnaryOperator<String> environment,
            UnaryOperator<String> descriptor) {
        this(systemProperties, environment, name -> null, descriptor);
    }

    Settings(UnaryOperator<String> systemProperties, UnaryOperator<String> environment, UnaryOperator<String> jndi,
            UnaryOperator<String> descriptor) {
        this.systemProperties = Objects.requireNonNull(systemProperties);
        this.environment = Objects.requireNonNull(environment);
        this.jndi = Objects.requireNonNull(jndi);
        this.descriptor = Objects.requireNonNull(descriptor);
    }

    public static Settings of(ServletContext context) {
        return new Settings(System::getProperty, System::getenv, JndiEntries.ofTheApplication()::get,
                context::getInitParameter);
    }

    /** The value, or the default (null where it is derived). Blank values count as unset. */
    public String get(Setting setting) {
        for (UnaryOperator<String> source : new UnaryOperator[] {systemProperties, environment, jndi, descriptor}) {
            String value = source.apply(source == environment ? setting.environmentVariable() : setting.property());
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return setting.defaultValue();
    }

    /** The value as text: the default where unset (null where the default is derived). */
    public String text(Setting setting) {
        return get(setting);
    }

    /** {@code true} or {@code false}, in any case. */
    public boolean flag(Setting setting) {
        String value = get(setting);
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadSetting(setting, value, "must be true or false");
        };
    }

    /** A whole number >= {@code min}, in ASCII digits. */
    public int count(Setting setting, int min) {
        String value = get(setting);
        long n = wholeNumber(setting, value, min == 0 ? "must be a whole number >= 0"
                : "must be a whole number >= " + min);
        if (n < min || n > Integer.MAX_VALUE) {
            throw new BadSetting(setting, value, n < min ? "must be a whole number >= " + min
                    : "must be at most " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    /** A whole number of seconds above 0. */
    public Duration positiveDuration(Setting setting) {
        String value = get(setting);
        long n = wholeNumber(setting, value, "must be a whole number of seconds above 0");
        if (n == 0) {
            throw new BadSetting(setting, value, "must be a whole number of seconds above 0");
        }
        return Duration.ofSeconds(n);
    }

    /** A whole number of seconds >= 0. */
    public Duration duration(Setting setting) {
        String value = get(setting);
        return Duration.ofSeconds(wholeNumber(setting, value, "must be a whole number of seconds >= 0"));
    }

    /** A whole number of seconds above 0, or {@code none} (empty). */
    public Optional<Duration> optionalDuration(Setting setting) {
        String value = get(setting);
        if ("none".equalsIgnoreCase(value)) {
            return Optional.empty();
        }
        String rule = "must be a whole number of seconds above 0, or none";
        long n = wholeNumber(setting, value, rule);
        if (n == 0) {
            throw new BadSetting(setting, value, rule);
        }
        return Optional.of(Duration.ofSeconds(n));
    }

    /** A comma-separated list, each item stripped, none empty. */
    public List<String> list(Setting setting) {
        String value = get(setting);
        List<String> items = Arrays.stream(value.split(",", -1)).map(String::strip).toList();
        if (items.contains("")) {
            throw new BadSetting(setting, value, "must be a list of names separated by commas, none empty");
        }
        return items;
    }

    /** A time zone's IANA name or offset ({@code Europe/Paris}, {@code UTC}, {@code +05:30}); unset is this JVM's. */
    public ZoneId zone(Setting setting) {
        String value = get(setting);
        if (value == null) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new BadSetting(setting, value, "must be a time zone such as Europe/Paris, UTC or +05:30");
        }
    }

    /** One of {@code allowed}, in any case; returned in lower case. */
    public String oneOf(Setting setting, String... allowed) {
        String value = get(setting);
        String lower = value.toLowerCase(Locale.ROOT);
        if (!Arrays.asList(allowed).contains(lower)) {
            throw new BadSetting(setting, value, "must be one of " + String.join(", ", allowed));
        }
        return lower;
    }

    /** A whole number >= 0 in ASCII digits (Java's own parsing would take a fullwidth five as 5). */
    private static long wholeNumber(Setting setting, String value, String rule) {
        if (value == null || value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BadSetting(setting, value, rule);
        }
        return Long.parseLong(value);
    }
}
