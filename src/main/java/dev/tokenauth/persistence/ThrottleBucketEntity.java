package dev.tokenauth.persistence;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;

/**
 * The shape of TA_THROTTLE_BUCKET, which Bucket4j reads and writes itself ({@link PostgreSqlSharedAllowance}, on
 * PostgreSQL): one row per throttled key (a digest of the throttle's name and the key, never an address or a name),
 * the bucket's state as Bucket4j serialises it, and when it may be deleted. Declared as an entity only so that the
 * schema keeps one description, which the schema tests compare with the migrations; no code of ours reads it by JPA.
 */
@Entity
@Table(name = "TA_THROTTLE_BUCKET", indexes = @Index(name = "TA_THROTTLE_BUCKET_EXPIRES", columnList = "EXPIRES_AT"))
public class ThrottleBucketEntity {

    @Id
    @Column(name = "ID", length = 64)
    private String id;

    @Lob
    @Basic(fetch = FetchType.LAZY)
    @Column(name = "STATE")
    private byte[] state;

    /** Epoch milliseconds after which the row is a full bucket again, and deleted by the purge. */
    @Column(name = "EXPIRES_AT")
    private Long expiresAt;

    protected ThrottleBucketEntity() {
    }
}
