package dev.tokenauth.user;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A {@link UserStore} in a map, which counts lookups so that tests can prove it was never asked. */
public final class InMemoryUserStore implements UserStore {

    final Map<String, User> users = new LinkedHashMap<>();
    int finds;

    @Override
    public Optional<User> find(String username) {
        finds++;
        return Optional.ofNullable(users.get(username));
    }

    @Override
    public boolean insert(User user) {
        return users.putIfAbsent(user.username(), user) == null;
    }

    @Override
    public List<User> list() {
        return users.values().stream().sorted(java.util.Comparator.comparing(User::username)).toList();
    }

    @Override
    public boolean setDisabled(String username, boolean disabled) {
        return users.computeIfPresent(username,
                (k, u) -> new User(u.username(), u.passwordHash(), u.admin(), disabled, u.createdAt(),
                        u.passwordChangedAt())) != null;
    }

    @Override
    public boolean setPasswordHash(String username, String passwordHash, Instant changedAt) {
        return users.computeIfPresent(username,
                (k, u) -> new User(u.username(), passwordHash, u.admin(), u.disabled(), u.createdAt(), changedAt)) != null;
    }

    @Override
    public boolean rehashPassword(String username, String expectedHash, String newHash) {
        User[] replaced = new User[1];
        users.computeIfPresent(username, (k, u) -> {
            if (!u.passwordHash().equals(expectedHash)) {
                return u;
            }
            replaced[0] = new User(u.username(), newHash, u.admin(), u.disabled(), u.createdAt(),
                    u.passwordChangedAt());
            return replaced[0];
        });
        return replaced[0] != null;
    }

    @Override
    public long count() {
        return users.size();
    }
}
