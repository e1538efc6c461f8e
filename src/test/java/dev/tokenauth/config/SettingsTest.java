package dev.tokenauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import jakarta.servlet.ServletContext;

class SettingsTest {

    /** Each source is a map that also records the names it was asked for. */
    private final Map<String, String> sysProps = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> descriptor = new HashMap<>();
    private final List<String> envLookups = new java.util.ArrayList<>();

    private final Settings settings = new Settings(sysProps::get, name -> {
        envLookups.add(name);
        return env.get(name);
    }, descriptor::get);

    @Test
    void systemPropertyBeatsEnvironmentVariableAndDescriptor() {
        sysProps.put("tokenauth.data.dir", "/from/sysprop");
        env.put("TOKENAUTH_DATA_DIR", "/from/env");
        descriptor.put("tokenauth.data.dir", "/from/descriptor");

        assertEquals("/from/sysprop", settings.get(Setting.DATA_DIR));
    }

    @Test
    void environmentVariableBeatsDescriptor() {
        env.put("TOKENAUTH_DATA_DIR", "/from/env");
        descriptor.put("tokenauth.data.dir", "/from/descriptor");

        assertEquals("/from/env", settings.get(Setting.DATA_DIR));
    }

    @Test
    void aJndiEntryComesAfterTheEnvironmentAndBeforeTheDescriptor() {
        Map<String, String> jndi = new HashMap<>();
        Settings withJndi = new Settings(sysProps::get, env::get, jndi::get, descriptor::get);
        jndi.put("tokenauth.remote.token", "from-jndi");
        descriptor.put("tokenauth.remote.token", "from-descriptor");

        assertEquals("from-jndi", withJndi.get(Setting.REMOTE_TOKEN));
        env.put("TOKENAUTH_REMOTE_TOKEN", "from-env");
        assertEquals("from-env", withJndi.get(Setting.REMOTE_TOKEN));
    }

    @Test
    void withoutJndiThereAreNoEntries() {
        assertEquals(null, JndiEntries.ofTheApplication().get("tokenauth.remote.token"));
    }

    @Test
    void descriptorBeatsDefault() {
        descriptor.put("tokenauth.auth.realm", "from-descriptor");

        assertEquals("from-descriptor", settings.get(Setting.REALM));
    }

    @Test
    void defaultWhenNoSourceHasAValue() {
        assertEquals("api", settings.get(Setting.REALM));
        assertEquals("false", settings.get(Setting.ALLOW_BEARER));
        assertNull(settings.get(Setting.DATA_DIR), "a derived setting has no default value");
    }

    @Test
    void environmentIsAskedByTheEnvironmentVariableNameAndOthersByThePropertyName() {
        env.put("tokenauth.admin.password", "wrong: env looked up by property name");
        sysProps.put("TOKENAUTH_ADMIN_PASSWORD", "wrong: sysprop looked up by env name");
        descriptor.put("TOKENAUTH_ADMIN_PASSWORD", "wrong: descriptor looked up by env name");

        assertEquals("", settings.get(Setting.ADMIN_PASSWORD));
        assertEquals(List.of("TOKENAUTH_ADMIN_PASSWORD"), envLookups);

        env.put("TOKENAUTH_ADMIN_PASSWORD", "from-env");
        assertEquals("from-env", settings.get(Setting.ADMIN_PASSWORD));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", " \n "})
    void blankValuesCountAsUnset(String blank) {
        sysProps.put("tokenauth.auth.realm", blank);
        env.put("TOKENAUTH_AUTH_REALM", blank);
        assertEquals("api", settings.get(Setting.REALM), "blank sources should fall through to the default");

        descriptor.put("tokenauth.auth.realm", "from-descriptor");
        assertEquals("from-descriptor", settings.get(Setting.REALM), "blank sources should fall through");
    }

    @Test
    void valuesAreStripped() {
        sysProps.put("tokenauth.auth.realm", "  spaced  ");
        assertEquals("spaced", settings.get(Setting.REALM));
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True", "tRuE", " true "})
    void flagAcceptsTrueInAnyCase(String value) {
        descriptor.put("tokenauth.auth.bearer", value);
        assertTrue(settings.flag(Setting.ALLOW_BEARER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "FALSE", "False", "fAlSe"})
    void flagAcceptsFalseInAnyCase(String value) {
        descriptor.put("tokenauth.auth.bearer", value);
        assertFalse(settings.flag(Setting.ALLOW_BEARER));
    }

    @Test
    void flagIsFalseByDefault() {
        assertFalse(settings.flag(Setting.ALLOW_BEARER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "1", "0", "on", "truee", "t"})
    void flagThrowsNamingThePropertyForAnythingButTrueOrFalse(String value) {
        env.put("TOKENAUTH_AUTH_BEARER", value);

        BadSetting e = assertThrows(BadSetting.class, () -> settings.flag(Setting.ALLOW_BEARER));
        assertEquals("Bad tokenauth setting tokenauth.auth.bearer='" + value + "': must be true or false", e.getMessage());
        assertEquals(Setting.ALLOW_BEARER, e.setting());
    }

    @Test
    void numbersAndSecondsAreReadFromAsciiDigits() {
        descriptor.put("tokenauth.token.limit", " 25 ");
        descriptor.put("tokenauth.token.lifetime.max", "3600");

        assertEquals(25, settings.count(Setting.TOKEN_LIMIT, 1));
        assertEquals(java.util.Optional.of(java.time.Duration.ofHours(1)),
                settings.optionalDuration(Setting.TOKEN_MAX_LIFETIME));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uff15", "1\uff10", "\u0665", "\u096a\u0968", "+5", "-1", "5 0", "0x10", "99999999999999999999"})
    void aNumberSettingThatIsNotAsciiDigitsIsABadSettingNamingPropertyAndValue(String value) {
        descriptor.put("tokenauth.token.limit", value);
        descriptor.put("tokenauth.token.lifetime.max", value);

        assertEquals("Bad tokenauth setting tokenauth.token.limit='" + value + "': must be a whole number >= 1",
                assertThrows(BadSetting.class, () -> settings.count(Setting.TOKEN_LIMIT, 1)).getMessage());
        assertEquals("Bad tokenauth setting tokenauth.token.lifetime.max='" + value + "': must be a whole number of "
                + "seconds above 0, or none",
                assertThrows(BadSetting.class, () -> settings.optionalDuration(Setting.TOKEN_MAX_LIFETIME)).getMessage());
    }

    @Test
    void constructorRefusesMissingSources() {
        UnaryOperator<String> none = name -> null;
        assertThrows(NullPointerException.class, () -> new Settings(null, none, none));
        assertThrows(NullPointerException.class, () -> new Settings(none, null, none));
        assertThrows(NullPointerException.class, () -> new Settings(none, none, null));
    }

    @Test
    void ofServletContextReadsTheContextParameter() {
        ServletContext context = mock(ServletContext.class);
        when(context.getInitParameter("tokenauth.auth.realm")).thenReturn("from-context");
        assertNoOverrideFromTheProcess(Setting.REALM);

        assertEquals("from-context", Settings.of(context).get(Setting.REALM));
    }

    /** Settings.of reads the real system properties and environment: this test needs them unset. */
    private static void assertNoOverrideFromTheProcess(Setting setting) {
        assertNull(System.getProperty(setting.property()), "the test JVM must not set " + setting.property());
        assertNull(System.getenv(setting.environmentVariable()),
                "the test environment must not set " + setting.environmentVariable());
    }
}
