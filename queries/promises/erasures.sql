-- Subjects erased so far (the audit log keeps each erasure; the suppression list keeps their keyed hash).
SELECT count(*) FROM erased_subjects
