-- Load normalized inquiries (registered Arrow table `new_inquiries`); a re-import replaces, never duplicates.
INSERT OR REPLACE INTO inquiries (inquiry_key, subject_email, subject_phone, submitted_at, day, country, region,
    district, support_type, status, first_response_at, closed_at, policy_version, message_chars, email_kind,
    has_company, run_id, updated_at, consent, adcode, transfer_consent)
SELECT inquiry_key, subject_email, subject_phone, submitted_at, day, country, region, district, support_type, status,
       first_response_at, closed_at, policy_version, message_chars, email_kind, has_company, $run_id, $now, true, adcode,
       transfer_consent
FROM new_inquiries
WHERE coalesce(subject_email, '') NOT IN (SELECT subject_key FROM erased_subjects)
  AND coalesce(subject_phone, '') NOT IN (SELECT subject_key FROM erased_subjects)
