-- Everything held about one subject's inquiries ($email_key / $phone_key may be NULL).
SELECT submitted_at, day, country, region, district, adcode, support_type, status, first_response_at, closed_at,
       consent, policy_version, message_chars, email_kind, has_company, updated_at
FROM inquiries
WHERE subject_email = $email_key OR subject_phone = $phone_key
ORDER BY submitted_at
