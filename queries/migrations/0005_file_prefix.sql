-- A log file is recognized by the hash of its first line AND of the bytes already loaded from it (up to 64 KiB),
-- so two files that happen to share a first line (a W3C header, say) are never taken for one another.
-- Entries made before this migration have no prefix yet and match on their first line, as before.
ALTER TABLE log_files ADD COLUMN first_line VARCHAR;
ALTER TABLE log_files ADD COLUMN prefix_len BIGINT;
ALTER TABLE log_files ADD COLUMN prefix_hash VARCHAR;
UPDATE log_files SET first_line = file_key WHERE first_line IS NULL;
