-- ce551ff: a new password ends the sessions that began before it. NULL: never changed.
ALTER TABLE TA_USER ADD PASSWORD_CHANGED_AT TIMESTAMP;
