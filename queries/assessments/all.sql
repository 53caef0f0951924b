-- Grain: one row per impact assessment (PIPL Art. 55-56), newest first.
-- Columns: assessment_id, activity, assessed_on, conclusion, next_review, summary, recorded_at
SELECT assessment_id, activity, assessed_on, conclusion, next_review, summary, recorded_at
FROM impact_assessments
ORDER BY assessed_on DESC, assessment_id DESC
