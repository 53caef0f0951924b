-- Grain: one row per assessment id starting with $prefix (to number the next one).
SELECT assessment_id FROM impact_assessments WHERE starts_with(assessment_id, $prefix)
