package dev.tokenauth.log;

/**
 * Client data made fit for one log line. A name, label, address or detail is written into the server log as
 * the client sent it; a line break in it would start a line of the client's making (a forged {@code AUDIT} line),
 * and bidirectional or invisible format characters would make the line read otherwise than it is. Every log line
 * that carries client data passes it through {@link #escape}.
 */
public final class LogText {

    private static final String OUR_CODE = "dev.tokenauth.";

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

    /**
     * An exception in a few words, for one log line: its type and the first line of its message, the same of its
     * innermost cause when it wraps one, and the frame of this application's code it came from, as in
     * {@code NullPointerException: ... at dev.tokenauth.persistence.JpaTokenStore.create(JpaTokenStore.java:42)}.
     * Messages are {@linkplain #escape escaped}: one may quote a value a client sent.
     */
    public static String fault(Throwable e) {
        Throwable innermost = e;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        StringBuilder sb = new StringBuilder();
        named(sb, e);
        if (innermost != e) {
            named(sb.append("; caused by "), innermost);
        }
        StackTraceElement where = ours(innermost);
        if (where == null && innermost != e) {
            where = ours(e);
        }
        if (where != null) {
            sb.append(" at ").append(where);
        }
        return sb.toString();
    }

    private static void named(StringBuilder sb, Throwable e) {
        sb.append(e.getClass().getSimpleName());
        String message = e.getMessage();
        if (message != null) {
            sb.append(": ").append(escape(message.lines().findFirst().orElse("")));
        }
    }

    /** The innermost frame of this application's code, the closest to where {@code e} was thrown; else null. */
    private static StackTraceElement ours(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith(OUR_CODE)) {
                return frame;
            }
        }
        return null;
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
