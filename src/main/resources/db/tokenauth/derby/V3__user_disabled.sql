-- de0835d: users can be disabled. Derby fills the existing rows from the default (0: not disabled).
ALTER TABLE TA_USER ADD DISABLED SMALLINT DEFAULT 0;
