-- Audit entries about one subject: their requests, and exports/erasures under their fingerprint.
SELECT seq, logged_at, actor, action, object, detail
FROM audit_log
WHERE list_contains($objects, object)
ORDER BY seq
