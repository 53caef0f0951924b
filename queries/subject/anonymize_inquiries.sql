-- Art. 17: cut every link from a subject's inquiries to them. The rows stay as anonymous counts (country,
-- region, support type, dates) so reports do not change; the key becomes random, district (label and
-- adcode) and keys go.
UPDATE inquiries
SET inquiry_key = 'erased-' || gen_random_uuid()::VARCHAR, subject_email = NULL, subject_phone = NULL,
    district = NULL, adcode = NULL, message_chars = 0, has_company = false, updated_at = $now
WHERE subject_email = $email_key OR subject_phone = $phone_key
