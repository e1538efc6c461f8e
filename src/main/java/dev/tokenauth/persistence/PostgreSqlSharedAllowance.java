package dev.tokenauth.persistence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.logging.Logger;

import javax.sql.DataSource;

import dev.tokenauth.log.Outage;
import dev.tokenauth.throttle.SharedAllowance;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

/**
 * The throttles' allowance shared by every node on one PostgreSQL: a Bucket4j bucket per key in TA_THROTTLE_BUCKET
 * (schema 13), taken with SELECT ... FOR UPDATE, so that two nodes counting the same key at once wait for each other
 * and neither count is lost. A key is stored as the SHA-256 of the throttle's name and the key: the table names no
 * address, account or device. Every statement is bounded by the database timeout; a failure (a timeout, a lock
 * that is not given, the database down) answers nothing, so that the node's own bucket decides alone, and is logged
 * once when it starts and once when it ends. Rows expire once their bucket is full again, and the purge deletes them.
 * The buckets' time is each node's clock, which must agree across nodes (NTP) as it must for tokens' ends.
 */
final class PostgreSqlSharedAllowance implements SharedAllowance {

    private static final Logger LOG = Logger.getLogger(PostgreSqlSharedAllowance.class.getName());
    static final String TABLE = "TA_THROTTLE_BUCKET";
    /** Rows deleted per statement of the purge, so that no statement holds many locks or runs long. */
    private static final int PURGE_BATCH = 1000;

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    private final Outage outage;

    PostgreSqlSharedAllowance(DataSource dataSource, Duration timeout, Clock clock) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table(TABLE)
                .idColumn("ID")
                .stateColumn("STATE")
                .expiresAtColumn("EXPIRES_AT")
                .requestTimeout(timeout)
                // A row lives until its bucket is full again, and a little longer: then it is a fresh bucket.
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofSeconds(10)))
                .build();
        this.outage = new Outage(LOG, "Shared throttle table " + TABLE, clock);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Optional<Outcome> failed(String key, long failures, Duration window) {
        try {
            ConsumptionProbe probe = buckets.builder()
                    .build(digest(key), () -> BucketConfiguration.builder()
                            .addLimit(limit -> limit.capacity(failures).refillGreedy(failures, window))
                            .build())
                    .tryConsumeAndReturnRemaining(1);
            outage.answered();
            return Optional.of(new Outcome(probe.isConsumed(), probe.getRemainingTokens(),
                    probe.getNanosToWaitForRefill()));
        } catch (RuntimeException e) {
            outage.failed("a failure's count", Outage.rootCause(e));
            return Optional.empty();
        }
    }

    @Override
    public void forget(String key) {
        try {
            buckets.removeProxy(digest(key));
            outage.answered();
        } catch (RuntimeException e) {
            outage.failed("forgetting a key's failures", Outage.rootCause(e));
        }
    }

    /** Deletes the rows of buckets that are full again; how many. */
    int purge() {
        int deleted = 0;
        try {
            int batch;
            do {
                batch = buckets.removeExpired(PURGE_BATCH);
                deleted += batch;
            } while (batch == PURGE_BATCH);
            outage.answered();
        } catch (RuntimeException e) {
            outage.failed("the purge of full buckets", Outage.rootCause(e));
        }
        return deleted;
    }

    static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
