package dev.tokenauth.config;

/**
 * A setting the application cannot start with: names the property, the value given (never a secret's) and the rule
 * it breaks. The one error of every bad setting, so that an operator reads one kind of message whatever they got
 * wrong: {@code Bad tokenauth setting tokenauth.db.timeout='0': must be a whole number of seconds above 0}.
 */
public final class BadSetting extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient Setting setting;

    public BadSetting(Setting setting, String value, String rule) {
        super("Bad tokenauth setting " + setting.property() + "=" + shown(setting, value) + ": " + rule);
        this.setting = setting;
    }

    /** The setting at fault. */
    public Setting setting() {
        return setting;
    }

    private static String shown(Setting setting, String value) {
        if (value == null) {
            return "(unset)";
        }
        return setting.secret() ? "(a secret of " + value.length() + " characters)" : "'" + value + "'";
    }
}
