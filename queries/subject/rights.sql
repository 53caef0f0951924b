-- One subject's rights requests.
SELECT request_id, type, channel, status, received_at, identity_requested_on, identity_verified_on,
       extension_notified_on, extension_reason, closed_on, note, updated_at
FROM rights_requests
WHERE subject_email = $email_key OR subject_phone = $phone_key
ORDER BY received_at
