-- A subject's rights requests stay as evidence of compliance (Art. 5(2), Art. 6(1)(c)) without their link or notes.
UPDATE rights_requests
SET subject_email = NULL, subject_phone = NULL, note = NULL, updated_at = $now
WHERE subject_email = $email_key OR subject_phone = $phone_key
