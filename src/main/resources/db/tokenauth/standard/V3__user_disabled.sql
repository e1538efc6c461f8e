-- de0835d: users can be disabled. The existing rows hold NULL, which means not disabled, as on the databases
-- that version made.
ALTER TABLE TA_USER ADD DISABLED BOOLEAN;
