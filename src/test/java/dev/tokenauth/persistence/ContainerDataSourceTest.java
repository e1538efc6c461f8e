package dev.tokenauth.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.naming.NameNotFoundException;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

class ContainerDataSourceTest {

    private final Map<String, Object> bound = new HashMap<>();
    private final List<String> asked = new ArrayList<>();
    private final ContainerDataSource.Jndi jndi = name -> {
        asked.add(name);
        if (!bound.containsKey(name)) {
            throw new NameNotFoundException(name);
        }
        return bound.get(name);
    };
    private final DataSource dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {DataSource.class}, (proxy, method, args) -> null);

    @Test
    void findWhenBoundInTheComponentEnvironmentThenThatOneIsUsed() {
        bound.put("java:comp/env/jdbc/tokenauth", dataSource);

        ContainerDataSource found = ContainerDataSource.find("jdbc/tokenauth", false, jndi).orElseThrow();

        assertEquals("java:comp/env/jdbc/tokenauth", found.jndiName());
        assertSame(dataSource, found.dataSource());
        assertEquals(List.of("java:comp/env/jdbc/tokenauth"), asked, "the global name should not be asked");
    }

    @Test
    void findWhenBoundOnlyUnderTheGlobalNameThenThatOneIsUsed() {
        bound.put("jdbc/tokenauth", dataSource);

        ContainerDataSource found = ContainerDataSource.find("jdbc/tokenauth", false, jndi).orElseThrow();

        assertEquals("jdbc/tokenauth", found.jndiName());
        assertEquals(List.of("java:comp/env/jdbc/tokenauth", "jdbc/tokenauth"), asked);
    }

    @Test
    void findWhenTheNameHasAJavaPrefixThenOnlyThatNameIsAsked() {
        bound.put("java:app/jdbc/other", dataSource);

        assertTrue(ContainerDataSource.find("java:app/jdbc/other", true, jndi).isPresent());
        assertEquals(List.of("java:app/jdbc/other"), asked);
    }

    @Test
    void findWhenNothingIsBoundUnderTheDefaultNameThenEmpty() {
        assertEquals(Optional.empty(), ContainerDataSource.find("jdbc/tokenauth", false, jndi));
    }

    @Test
    void findWhenNothingIsBoundUnderAConfiguredNameThenStartUpFailsNamingIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ContainerDataSource.find("jdbc/typo", true, jndi));

        assertTrue(e.getMessage().contains("java:comp/env/jdbc/typo or jdbc/typo"), e.getMessage());
        assertTrue(e.getMessage().contains("tokenauth.datasource"), e.getMessage());
    }

    @Test
    void findWhenTheNameIsNoneThenNothingIsAsked() {
        bound.put("java:comp/env/jdbc/tokenauth", dataSource);

        assertEquals(Optional.empty(), ContainerDataSource.find("none", true, jndi));
        assertEquals(List.of(), asked, "none should turn the look-up off");
    }

    @Test
    void findWhenSomethingElseIsBoundThenStartUpFails() {
        bound.put("java:comp/env/jdbc/tokenauth", "a string");

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ContainerDataSource.find("jdbc/tokenauth", false, jndi));

        assertTrue(e.getMessage().contains("java.lang.String, not a javax.sql.DataSource"), e.getMessage());
    }
}
