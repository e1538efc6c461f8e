package dev.tokenauth.token;

import java.util.Optional;

/**
 * A change that ends tokens, as it travels between the servers that share one database: a token ended (revoked,
 * or its end brought forward by a rotation), or every token of an owner (all revoked, or the owner disabled). Only
 * ids and user names travel, never a token's secret or digest.
 */
public sealed interface TokenChange {

    /** The longest message PostgreSQL's NOTIFY carries is 8000 bytes; a user name is far shorter. */
    int MAX_MESSAGE_BYTES = 8000;

    /** The text form sent to the other servers. */
    String message();

    /** Makes {@code cache} forget what this change ends. */
    void applyTo(ValidationCache cache);

    record TokenEnded(long id) implements TokenChange {
        @Override
        public String message() {
            return "token:" + id;
        }

        @Override
        public void applyTo(ValidationCache cache) {
            cache.forgetToken(id);
        }
    }

    record OwnerChanged(String owner) implements TokenChange {
        @Override
        public String message() {
            return "owner:" + owner;
        }

        @Override
        public void applyTo(ValidationCache cache) {
            cache.forgetOwner(owner);
        }
    }

    /** The change a message names, or empty for a message this version does not know (a newer server's). */
    static Optional<TokenChange> parse(String message) {
        if (message == null) {
            return Optional.empty();
        }
        if (message.startsWith("owner:") && message.length() > "owner:".length()) {
            return Optional.of(new OwnerChanged(message.substring("owner:".length())));
        }
        if (message.startsWith("token:")) {
            try {
                return Optional.of(new TokenEnded(Long.parseLong(message.substring("token:".length()))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
