-- Every audit entry about a rights request, oldest first: the register's own history, replayed to show a request
-- as it stood on a past day (etl/compliance/history.py). One row per entry: seq, logged_at, action, object
-- (the request id), detail (the JSON of the fields that entry set).
SELECT seq, logged_at, action, object, detail
FROM audit_log
WHERE action IN ('rights.add', 'rights.import', 'rights.update')
ORDER BY seq
