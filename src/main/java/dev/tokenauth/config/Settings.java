package dev.tokenauth.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;

/**
 * Resolves {@link Setting}s: system property, then environment variable, then the deployment descriptor,
 * then the default. The operator who starts the server overrides what the WAR was deployed with.
 */
public final class Settings {

    private static final Pattern ASCII_DIGITS = Pattern.compile("[0-9]+");

    private final UnaryOperator<String> systemProperties;
    private final UnaryOperator<String> environment;
    private final UnaryOperator<String> descriptor;

    Settings(UnaryOperator<String> systemProperties, UnaryOperator<String> environment,
            UnaryOperator<String> descriptor) {
        this.systemProperties = Objects.requireNonNull(systemProperties);
        this.environment = Objects.requireNonNull(environment);
        this.descriptor = Objects.requireNonNull(descriptor);
    }

    public static Settings of(ServletContext context) {
        return new Settings(System::getProperty, System::getenv, context::getInitParameter);
    }

    /** The filter's init-parameters come before the context parameters of the same name. */
    public static Settings of(FilterConfig filter) {
        ServletContext context = filter.getServletContext();
        return new Settings(System::getProperty, System::getenv, name -> {
            String value = filter.getInitParameter(name);
            return value != null ? value : context.getInitParameter(name);
        });
    }

    /** The value, or the default (null where it is derived). Blank values count as unset. */
    public String get(Setting setting) {
        for (UnaryOperator<String> source : new UnaryOperator[] {systemProperties, environment, descriptor}) {
            String value = source.apply(source == environment ? setting.environmentVariable() : setting.property());
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return setting.defaultValue();
    }

    /**
     * A number of seconds, or null for {@code none}.
     *
     * @throws IllegalArgumentException when the value is neither a whole number >= 0 nor {@code none}
     */
    public Duration seconds(Setting setting) {
        String value = get(setting);
        if ("none".equalsIgnoreCase(value)) {
            return null;
        }
        return Duration.ofSeconds(number(setting, value));
    }

    /**
     * A whole number >= 0.
     *
     * @throws IllegalArgumentException otherwise
     */
    public int integer(Setting setting) {
        long n = number(setting, get(setting));
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(setting.property() + " is too large: " + n);
        }
        return (int) n;
    }

    private static long number(Setting setting, String value) {
        // ASCII digits only: Long.parseLong also reads other scripts' digits (a fullwidth "５" as 5), which no one
        // means in a configuration file, and a sign, which no setting takes.
        if (value != null && ASCII_DIGITS.matcher(value).matches()) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                // too large: reported below
            }
        }
        throw new IllegalArgumentException(setting.property() + " must be a whole number >= 0"
                + (setting.defaultValue() != null && setting.defaultValue().equals("none") ? " or none" : "")
                + ", not '" + value + "'");
    }

    /**
     * A true/false setting.
     *
     * @throws IllegalArgumentException when the value is neither, so that start-up fails on a typo
     */
    public boolean flag(Setting setting) {
        String value = get(setting).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    setting.property() + " must be true or false, not '" + value + "'");
        };
    }
}
