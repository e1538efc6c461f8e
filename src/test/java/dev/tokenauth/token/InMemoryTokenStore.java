package dev.tokenauth.token;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link TokenStore} in a list, which counts every call so that tests can prove it was never asked. */
final class InMemoryTokenStore implements TokenStore {

    /** One stored token, exactly as the service handed it over, plus what the store adds. */
    static final class Row {
        final long id;
        final NewToken token;
        Instant revokedAt;

        Row(long id, NewToken token) {
            this.id = id;
            this.token = token;
        }

        TokenInfo info() {
            return new TokenInfo(id, token.displayPrefix(), token.owner(), token.createdAt(), token.createdByTokenId());
        }
    }

    final List<Row> rows = new ArrayList<>();
    int calls;
    private long nextId = 1;

    @Override
    public TokenInfo insert(NewToken token) {
        calls++;
        Row row = new Row(nextId++, token);
        rows.add(row);
        return row.info();
    }

    @Override
    public Optional<AuthenticatedToken> findActive(String digest) {
        calls++;
        return active(digest).map(r -> new AuthenticatedToken(r.id, r.token.owner()));
    }

    @Override
    public Optional<TokenInfo> revoke(String owner, String digest, Instant at) {
        calls++;
        Optional<Row> row = active(digest).filter(r -> r.token.owner().equals(owner));
        row.ifPresent(r -> r.revokedAt = at);
        return row.map(Row::info);
    }

    @Override
    public List<TokenInfo> listActive(String owner) {
        calls++;
        return rows.stream().filter(r -> r.revokedAt == null && r.token.owner().equals(owner)).map(Row::info).toList();
    }

    private Optional<Row> active(String digest) {
        return rows.stream().filter(r -> r.revokedAt == null && r.token.digest().equals(digest)).findFirst();
    }
}
