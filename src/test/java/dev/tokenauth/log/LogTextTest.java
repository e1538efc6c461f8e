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
}
