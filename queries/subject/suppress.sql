-- Remember an erased subject's key so an old export re-imported later does not bring them back.
INSERT OR IGNORE INTO erased_subjects (subject_key, erased_on) VALUES ($subject_key, $erased_on)
