-- The whole register (or one request), newest first.
SELECT request_id, type, channel, status, subject_email, subject_phone, received_at, identity_requested_on,
       identity_verified_on, extension_notified_on, extension_reason, closed_on, note, owner, country, regime,
       refusal_reason, updated_at
FROM rights_requests
WHERE $request_id IS NULL OR request_id = $request_id
ORDER BY received_at DESC, request_id DESC
