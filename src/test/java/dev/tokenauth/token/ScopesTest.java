package dev.tokenauth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopesTest {

    @Test
    void theDefaultIsReadAndWriteAndIntrospectIsAlwaysKnownButNeverGivenByDefault() {
        assertEquals(List.of("introspect", "read", "write"), List.copyOf(Scopes.defaults().known()));
        assertEquals(List.of("read", "write"), List.copyOf(Scopes.defaults().byDefault()));
        assertEquals(Scopes.defaults().known(), Scopes.of(Scopes.DEFAULT).known());
        assertEquals(Scopes.defaults().known(), Scopes.of("read,write,introspect").known());
    }

    @Test
    void anApplicationAddsItsOwnSeparatedByCommasOrSpaces() {
        assertEquals(List.of("introspect", "orders:read", "read", "write"),
                List.copyOf(Scopes.of(" write, orders:read read ").known()));
        assertEquals(List.of("orders:read", "read", "write"),
                List.copyOf(Scopes.of(" write, orders:read read ").byDefault()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"read", "write", "read,orders", ""})
    void theBuiltInScopesMustBeKnown(String setting) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scopes.of(setting));
        assertEquals("the scopes must include the built-in 'read' and 'write'", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Read", "1st", "a b\u00e9", "abcdefghijabcdefghijabcdefghijabcdefghijk"})
    void aBadNameIsRefused(String name) {
        assertThrows(IllegalArgumentException.class, () -> Scopes.of("read,write," + name));
    }

    @Test
    void aTokenWithoutStoredScopesHasEveryScopeButIntrospect() {
        Scopes scopes = Scopes.of("read,write,orders");

        assertEquals(Set.of("orders", "read", "write"), scopes.ofStored(null));
        assertEquals(Set.of("read"), scopes.ofStored(Set.of("read")));
    }

    @Test
    void storedScopesAreOneSortedSpaceSeparatedText() {
        assertEquals("read write", Scopes.stored(Set.of("write", "read")));
        assertEquals(Set.of("read", "write"), Scopes.parse("read write"));
        assertNull(Scopes.stored(null));
        assertNull(Scopes.parse(null));
    }
}
