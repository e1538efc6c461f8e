package dev.tokenauth.log;

/**
 * Client data made fit for one log line. A name, label, address or detail is written into the server log as
 * the client sent it; a line break in it would start a line of the client's making (a forged {@code AUDIT} line),
 * and bidirectional or invisible format characters would make the line read otherwise than it is. Every log line
 * that carries client data passes it through {@link #escape}.
 */
public final class LogText {

    private LogText() {
    }

    /**
     * {@code text} with every control, format and line or paragraph separator character written as a Java escape
     * ({@code \n}, {@code \r}, {@code \t}, else {@code \}{@code uXXXX}), and backslashes doubled so that an escape
     * cannot be faked either; "null" for null. Allocates nothing when there is nothing to escape.
     */
    public static String escape(Object value) {
        String text = String.valueOf(value);
        int first = firstToEscape(text);
        if (first < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                sb.append("\\\\");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (needsEscape(c)) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** True when {@code text} holds a control character (C0, DEL, C1) or a line or paragraph separator. */
    public static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    private static int firstToEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' || needsEscape(c)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean needsEscape(char c) {
        if (c >= 0x20 && c < 0x7F) {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
