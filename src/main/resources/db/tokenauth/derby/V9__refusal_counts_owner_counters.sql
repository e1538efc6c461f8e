-- Issue 23: refused requests are stored as one entry per client address, reason, token and minute, with how many
-- (OCCURRENCES) and the last one's time (LAST_AT_MS, epoch milliseconds). NULL in both (every entry made before V9)
-- is a single event at OCCURRED_AT_MS.
ALTER TABLE TA_AUDIT ADD OCCURRENCES BIGINT;
ALTER TABLE TA_AUDIT ADD LAST_AT_MS BIGINT;
-- An upper bound of the owner's active tokens, kept under the owner's lock, so that a creation below the limit needs
-- no count of them. NULL (every owner before V9) is not known yet: the next creation counts, and sets it.
ALTER TABLE TA_TOKEN_OWNER ADD ACTIVE_TOKENS INTEGER;
