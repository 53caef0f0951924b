-- How many of the staged inquiries belong to subjects erased earlier (they are not loaded).
SELECT count(*) FROM new_inquiries
WHERE subject_email IN (SELECT subject_key FROM erased_subjects)
   OR subject_phone IN (SELECT subject_key FROM erased_subjects)
