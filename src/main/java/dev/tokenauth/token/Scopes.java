package dev.tokenauth.token;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;


/**
 * The scopes an application knows, which limit what a token may do. Two are built in and always known:
 * {@value #READ}, which the built-in endpoints ask of every GET and HEAD, and {@value #WRITE}, which they ask of
 * every other method, token management (create, rotate, revoke) included. An application may declare more of its own
 * (setting {@code tokenauth.scopes}) and check them in its own servlets. A login session has every scope.
 * <p>
 * A token stored by a version before scopes has none recorded: it has every scope the application knows, which is
 * what it could do when it was made.
 */
public final class Scopes {

    /** Reads: every GET and HEAD of the built-in endpoints. */
    public static final String READ = "read";
    /** Changes: every other method, creating, rotating and revoking tokens included. */
    public static final String WRITE = "write";
    /**
     * Introspection of other tokens ({@code POST /api/introspect}, RFC 7662): always known, never given by default
     * (a token made without {@code scopes}, and a token stored before scopes, lacks it); only an admin gives it,
     * by asking for it.
     */
    public static final String INTROSPECT = "introspect";
    /** The setting's default: the two built-in scopes (and {@value #INTROSPECT}, which is always known). */
    public static final String DEFAULT = READ + "," + WRITE;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_:.-]{0,39}");
    private static final Scopes DEFAULTS = of(DEFAULT);

    private final SortedSet<String> known;
    private final SortedSet<String> byDefault;

    private Scopes(SortedSet<String> known) {
        this.known = Collections.unmodifiableSortedSet(known);
        SortedSet<String> given = new TreeSet<>(known);
        given.remove(INTROSPECT);
        this.byDefault = Collections.unmodifiableSortedSet(given);
    }

    /** {@value #READ} and {@value #WRITE}. */
    public static Scopes defaults() {
        return DEFAULTS;
    }

    /**
     * The scopes named in {@code setting}, separated by commas or spaces.
     *
     * @throws IllegalArgumentException for a bad name, or a list without {@value #READ} and {@value #WRITE}
     */
    public static Scopes of(String setting) {
        SortedSet<String> names = new TreeSet<>();
        for (String name : Objects.requireNonNull(setting, "setting").split("[,\\s]+")) {
            if (name.isEmpty()) {
                continue;
            }
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("scope '" + name + "' is not a lower-case name of letters, digits"
                        + " and _ : . - (at most 40 characters, starting with a letter)");
            }
            names.add(name);
        }
        if (!names.contains(READ) || !names.contains(WRITE)) {
            throw new IllegalArgumentException("the scopes must include the built-in '" + READ + "' and '" + WRITE
                    + "'");
        }
        names.add(INTROSPECT);
        return new Scopes(names);
    }

    /** Every scope the application knows, in alphabetical order ({@value #INTROSPECT} among them). */
    public SortedSet<String> known() {
        return known;
    }

    /** The scopes a token gets when none are asked for: every known scope but {@value #INTROSPECT}. */
    public SortedSet<String> byDefault() {
        return byDefault;
    }

    /**
     * The scopes of a stored token: those stored (as they are, without a copy: this is on every request's path), or,
     * for a token of an earlier version (null), every scope it could have been given ({@link #byDefault}).
     */
    public Set<String> ofStored(Set<String> stored) {
        return stored == null ? byDefault : stored;
    }

    /**
     * The scopes of a stored token that the application still knows, for a token made from it: a scope taken out
     * of the setting since is not handed on.
     */
    Set<String> stillKnown(Set<String> stored) {
        Set<String> scopes = ofStored(stored);
        return known.containsAll(scopes) ? scopes : Set.copyOf(scopes.stream().filter(known::contains).toList());
    }

    /**
     * The scopes a token made by a token gets when it asks for none: the maker's own that the application still
     * knows, but never {@value #INTROSPECT}, which only an admin gives, by asking for it.
     */
    Set<String> handedOn(Set<String> stored) {
        Set<String> scopes = stillKnown(stored);
        if (!scopes.contains(INTROSPECT)) {
            return scopes;
        }
        SortedSet<String> without = new TreeSet<>(scopes);
        without.remove(INTROSPECT);
        return Collections.unmodifiableSortedSet(without);
    }

    /**
     * The scopes a request asks for, checked: each known, at least one.
     *
     * @throws TokenRuleViolation INVALID otherwise
     */
    SortedSet<String> requested(Collection<String> requested) {
        if (requested.isEmpty()) {
            throw new TokenRuleViolation(ViolationKind.INVALID, "scopes must name at least one scope.");
        }
        SortedSet<String> names = new TreeSet<>();
        for (String name : requested) {
            if (name == null || !known.contains(name)) {
                throw new TokenRuleViolation(ViolationKind.INVALID, "Unknown scope '" + name + "'; the scopes are "
                        + String.join(", ", known) + ".");
            }
            names.add(name);
        }
        return Collections.unmodifiableSortedSet(names);
    }

    /** The answer to a token that lacks {@code scope}: the same text wherever it is refused. */
    public static String lacking(String scope) {
        return "This token lacks the scope '" + scope + "'.";
    }

    /** Scopes as one column's text: names in alphabetical order, separated by spaces (as OAuth's scope). */
    public static String stored(Set<String> scopes) {
        return scopes == null ? null : String.join(" ", new TreeSet<>(scopes));
    }

    /** The scopes of a column's text; null (a token of an earlier version) stays null. */
    public static SortedSet<String> parse(String stored) {
        if (stored == null) {
            return null;
        }
        SortedSet<String> names = new TreeSet<>(Arrays.asList(stored.strip().split("\\s+")));
        names.remove("");
        return Collections.unmodifiableSortedSet(names);
    }

    @Override
    public String toString() {
        return String.join(",", known);
    }
}
