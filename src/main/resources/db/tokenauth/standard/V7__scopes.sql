-- 05ed556: a token's scopes, names separated by single spaces. NULL (every token made before V7) means every scope
-- the application knows at run time (tokenauth.scopes), so it is never filled in.
ALTER TABLE TA_TOKEN ADD SCOPES VARCHAR(1000);
