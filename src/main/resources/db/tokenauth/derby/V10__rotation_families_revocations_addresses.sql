-- Issue 24. A rotation's successor names its predecessor (ROTATED_FROM) and the first token of its family
-- (FAMILY_ID; NULL for that first token itself, whose family is its own id), so that a detected reuse revokes the
-- family in one query. V11 fills both in for the rotations made before.
ALTER TABLE TA_TOKEN ADD ROTATED_FROM BIGINT;
ALTER TABLE TA_TOKEN ADD FAMILY_ID BIGINT;
-- Who revoked a token when it was not its owner (an admin), and why (an admin's reason, a detected reuse). NULL in
-- both: its owner revoked it, as every revocation before V10.
ALTER TABLE TA_TOKEN ADD REVOKED_BY VARCHAR(255);
ALTER TABLE TA_TOKEN ADD REVOKE_REASON VARCHAR(255);
CREATE INDEX TA_TOKEN_FAMILY ON TA_TOKEN (FAMILY_ID);
-- The most recent distinct client addresses each token was used from, with the last time from each; deleted with
-- the token by the purge.
CREATE TABLE TA_TOKEN_ADDRESS (TOKEN_ID BIGINT NOT NULL, ADDRESS VARCHAR(64) NOT NULL, LAST_AT_MS BIGINT NOT NULL, PRIMARY KEY (TOKEN_ID, ADDRESS));
