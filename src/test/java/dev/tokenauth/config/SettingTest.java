package dev.tokenauth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingTest {

    @ParameterizedTest
    @CsvSource({
        "DATA_DIR,               tokenauth.data.dir,          TOKENAUTH_DATA_DIR",
        "DATASOURCE,             tokenauth.datasource,        TOKENAUTH_DATASOURCE",
        "DB_URL,                 tokenauth.db.url,            TOKENAUTH_DB_URL",
        "DB_USER,                tokenauth.db.user,           TOKENAUTH_DB_USER",
        "DB_PASSWORD,            tokenauth.db.password,       TOKENAUTH_DB_PASSWORD",
        "DB_DRIVER,              tokenauth.db.driver,         TOKENAUTH_DB_DRIVER",
        "ADMIN_PASSWORD,         tokenauth.admin.password,    TOKENAUTH_ADMIN_PASSWORD",
        "ALLOW_BEARER,           tokenauth.auth.bearer,       TOKENAUTH_AUTH_BEARER",
        "REALM,                  tokenauth.auth.realm,        TOKENAUTH_AUTH_REALM",
        "SESSION_USER_ATTRIBUTE, tokenauth.session.attribute, TOKENAUTH_SESSION_ATTRIBUTE",
    })
    void environmentVariableIsThePropertyInUpperCaseWithUnderscores(Setting setting, String property, String env) {
        assertEquals(property, setting.property());
        assertEquals(env, setting.environmentVariable());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertNull(Setting.DATA_DIR.defaultValue(), "derived from the user's home");
        assertEquals("jdbc/tokenauth", Setting.DATASOURCE.defaultValue());
        assertNull(Setting.DB_URL.defaultValue(), "derived from the data directory");
        assertEquals("", Setting.DB_USER.defaultValue());
        assertEquals("", Setting.DB_PASSWORD.defaultValue());
        assertEquals("", Setting.DB_DRIVER.defaultValue());
        assertEquals("", Setting.ADMIN_PASSWORD.defaultValue());
        assertEquals("false", Setting.ALLOW_BEARER.defaultValue());
        assertEquals("api", Setting.REALM.defaultValue());
        assertEquals("dev.tokenauth.user", Setting.SESSION_USER_ATTRIBUTE.defaultValue());
    }
}
