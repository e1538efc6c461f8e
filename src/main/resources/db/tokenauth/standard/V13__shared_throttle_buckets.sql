-- Issue 26, part 3. The failed-login and failed-token throttles' buckets, shared by every node on PostgreSQL
-- (Bucket4j's PostgreSQL backend reads and writes them; on Derby the table stays empty, one node keeps its buckets in
-- memory): one row per throttled key, a SHA-256 of the throttle's name and the key (never an address or a name), the
-- bucket's state, and when it is full again (epoch milliseconds), after which the purge deletes it.
CREATE TABLE TA_THROTTLE_BUCKET (ID VARCHAR(64) NOT NULL, EXPIRES_AT BIGINT, STATE BYTEA, PRIMARY KEY (ID));
CREATE INDEX TA_THROTTLE_BUCKET_EXPIRES ON TA_THROTTLE_BUCKET (EXPIRES_AT);
