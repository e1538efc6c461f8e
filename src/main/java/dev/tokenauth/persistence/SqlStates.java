package dev.tokenauth.persistence;

import java.sql.SQLException;
import java.util.Set;

/** What SQL states a failure carries, wherever the provider wrapped them. */
final class SqlStates {

    private SqlStates() {
    }

    /**
     * Whether any SQL exception among {@code e}'s causes, or chained to one of them ({@code getNextException}, as a
     * batch reports its rows), has one of {@code states}.
     */
    static boolean anyIn(Throwable e, Set<String> states) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    if (s.getSQLState() != null && states.contains(s.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** As {@link #anyIn}, for the classes of states (their first two characters), such as "23". */
    static boolean anyOfClass(Throwable e, Set<String> classes) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException s = sql; s != null; s = s.getNextException()) {
                    String state = s.getSQLState();
                    if (state != null && state.length() >= 2 && classes.contains(state.substring(0, 2))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
