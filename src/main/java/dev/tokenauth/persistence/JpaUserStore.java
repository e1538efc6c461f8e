package dev.tokenauth.persistence;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.Optional;

import dev.tokenauth.user.User;
import dev.tokenauth.user.UserStore;

/** {@link UserStore} on Jakarta Persistence. */
public final class JpaUserStore implements UserStore {

    private final Transactions tx;
    private final Clock clock;

    public JpaUserStore(Database database, Clock clock) {
        this(database.transactions(), clock);
    }

    JpaUserStore(Transactions tx, Clock clock) {
        this.tx = tx;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<User> find(String username) {
        return tx.run("user lookup", em -> Optional.ofNullable(em.find(UserEntity.class, username))
                .map(UserEntity::toUser));
    }

    @Override
    public List<User> list() {
        return tx.run("user list", em -> em.createNamedQuery(UserEntity.LIST_ALL, UserEntity.class)
                .getResultStream()
                .map(UserEntity::toUser)
                .toList());
    }

    @Override
    public boolean setDisabled(String username, boolean disabled) {
        return change("user disable", username, u -> u.setDisabled(disabled));
    }

    @Override
    public boolean setPasswordHash(String username, String passwordHash, Instant changedAt) {
        return change("user password", username, u -> u.setPasswordHash(passwordHash, changedAt));
    }

    @Override
    public boolean rehashPassword(String username, String expectedHash, String newHash) {
        return tx.run("user password rehash", em -> {
            UserEntity user = em.find(UserEntity.class, username);
            if (user == null || !expectedHash.equals(user.toUser().passwordHash())) {
                return false;
            }
            user.rehashPassword(newHash);
            return true;
        });
    }

    private boolean change(String operation, String username, Consumer<UserEntity> change) {
        return tx.run(operation, em -> {
            UserEntity user = em.find(UserEntity.class, username);
            if (user == null) {
                return false;
            }
            change.accept(user);
            return true;
        });
    }

    @Override
    public boolean insert(User user) {
        try {
            return tx.run("user insert", em -> {
                if (em.find(UserEntity.class, user.username()) != null) {
                    return false;
                }
                em.persist(new UserEntity(user, clock.instant()));
                return true;
            });
        } catch (KeyConflictException e) {
            // Another request or server inserted the same name between our check and our insert: the key said no.
            return false;
        }
    }

    @Override
    public long count() {
        return tx.run("user count", em -> em.createQuery("SELECT COUNT(u) FROM UserEntity u", Long.class)
                .getSingleResult());
    }
}
