-- Append one audit entry; the caller computed its hash over the previous entry's hash.
INSERT INTO audit_log (seq, logged_at, actor, action, object, detail, prev_hash, hash)
VALUES ($seq, $logged_at, $actor, $action, $object, $detail, $prev_hash, $hash)
