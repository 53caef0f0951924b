-- The latest audit entries, optionally only those about one object (e.g. a rights request).
SELECT seq, logged_at, actor, action, object, detail
FROM audit_log
WHERE $object IS NULL OR object = $object
ORDER BY seq DESC
LIMIT $limit
