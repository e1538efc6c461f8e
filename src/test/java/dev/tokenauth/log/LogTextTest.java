package dev.tokenauth.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void plainTextIsReturnedAsItIs() {
        String text = "alice@example.org from 192.0.2.1: Grüße";
        assertSame(text, LogText.escape(text));
    }

    @Test
    void lineBreaksTabsAndOtherControlCharactersAreWrittenAsEscapes() {
        assertEquals("a\\nb\\rc\\td\\u0000e\\u000Bf\\u001Bg\\u007Fh\\u0085i",
                LogText.escape("a\nb\rc\td\u0000e\u000Bf\u001Bg\u007Fh\u0085i"));
    }

    @Test
    void lineAndParagraphSeparatorsAndFormatCharactersAreEscaped() {
        assertEquals("a\\u2028b\\u2029c\\u202Ed\\u200Be", LogText.escape("a\u2028b\u2029c\u202Ed\u200Be"));
    }

    @Test
    void aBackslashIsDoubledSoThatAnEscapeCannotBeFaked() {
        assertEquals("a\\\\nb\\n", LogText.escape("a\\nb\n"));
    }

    @Test
    void nullIsWrittenAsNull() {
        assertEquals("null", LogText.escape(null));
    }

    @Test
    void theEscapedTextIsAlwaysOneLine() {
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            every.append(c);
        }
        assertEquals(1, LogText.escape(every.toString()).lines().count());
    }

    @Test
    void controlCharactersAreFoundAnywhere() {
        assertTrue(LogText.hasControlCharacter("zz\n02-Dec-2026"));
        assertTrue(LogText.hasControlCharacter("carol\u0000"));
        assertTrue(LogText.hasControlCharacter("a\u2028b"));
        assertFalse(LogText.hasControlCharacter("carol "));
        assertFalse(LogText.hasControlCharacter("zoë"));
    }

    /** An exception thrown at {@code frames}, innermost first, as a stack trace lists them. */
    private static <T extends Throwable> T thrownAt(T e, String... frames) {
        StackTraceElement[] trace = new StackTraceElement[frames.length];
        for (int i = 0; i < frames.length; i++) {
            String type = frames[i];
            trace[i] = new StackTraceElement(type, "run", type.substring(type.lastIndexOf('.') + 1) + ".java", 10 + i);
        }
        e.setStackTrace(trace);
        return e;
    }

    @Test
    void aFaultIsNamedByItsTypeItsMessagesFirstLineAndTheFrameOfOurCodeItCameFrom() {
        NullPointerException e = thrownAt(new NullPointerException("Cannot invoke \"String.length()\"\nsecond line"),
                "java.util.Objects", "dev.tokenauth.persistence.JpaTokenStore", "dev.tokenauth.token.TokenService");

        assertEquals("NullPointerException: Cannot invoke \"String.length()\" at "
                + "dev.tokenauth.persistence.JpaTokenStore.run(JpaTokenStore.java:11)", LogText.fault(e));
    }

    @Test
    void aWrappedFaultNamesItsInnermostCauseAndWhereThatCameFrom() {
        ClassCastException cause = thrownAt(new ClassCastException("Long to Instant"),
                "org.eclipse.persistence.Mapping", "dev.tokenauth.persistence.InstantConverter");
        RuntimeException e = thrownAt(new RuntimeException("commit failed", cause), "org.eclipse.persistence.Tx");

        assertEquals("RuntimeException: commit failed; caused by ClassCastException: Long to Instant at "
                + "dev.tokenauth.persistence.InstantConverter.run(InstantConverter.java:11)", LogText.fault(e));
    }

    @Test
    void aFaultsMessageIsEscapedAndAFaultWithoutOneIsItsTypeAlone() {
        assertEquals("IllegalStateException: name 'a\\u202Eb'",
                LogText.fault(thrownAt(new IllegalStateException("name 'a\u202Eb'"), "java.lang.Thread")));
        assertEquals("NullPointerException", LogText.fault(thrownAt(new NullPointerException(), "java.lang.Thread")));
    }
}
