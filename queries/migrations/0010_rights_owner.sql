-- Who answers a rights request: a dashboard account's login name (the name the audit log records as actor),
-- never the subject. NULL until someone takes it.
ALTER TABLE rights_requests ADD COLUMN owner VARCHAR;
