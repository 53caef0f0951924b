-- The whole chain in order, for verification.
SELECT seq, logged_at, actor, action, object, detail, prev_hash, hash FROM audit_log ORDER BY seq
