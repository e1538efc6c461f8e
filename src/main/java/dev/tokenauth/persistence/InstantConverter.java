package dev.tokenauth.persistence;

import java.time.Instant;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Stores an {@link Instant} as milliseconds since the epoch (a BIGINT), the same number whatever the time zone of
 * the server and of the database. A zone-less SQL {@code TIMESTAMP}, which earlier versions used, holds a wall-clock
 * time that JDBC reads and writes in the JVM's zone: the same server restarted in another zone moved every time by
 * the difference (see {@link EpochMillisecondTimes} for the migration of such databases). The application's clock keeps
 * whole milliseconds, so nothing is lost.
 */
@Converter(autoApply = true)
public class InstantConverter implements AttributeConverter<Instant, Long> {

    @Override
    public Long convertToDatabaseColumn(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    @Override
    public Instant convertToEntityAttribute(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
