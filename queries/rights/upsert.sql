-- Insert a request or replace its current state (history is in audit_log).
INSERT OR REPLACE INTO rights_requests (request_id, type, channel, status, subject_email, subject_phone, received_at,
    identity_requested_on, identity_verified_on, extension_notified_on, extension_reason, closed_on, note, owner,
    country, regime, refusal_reason, updated_at)
VALUES ($request_id, $type, $channel, $status, $subject_email, $subject_phone, $received_at, $identity_requested_on,
        $identity_verified_on, $extension_notified_on, $extension_reason, $closed_on, $note, $owner, $country, $regime,
        $refusal_reason, $now)
