-- The newest audit entry (its sequence number and hash start the next link of the chain).
SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1
