-- Register one impact assessment; its id is new (PIA-<year>-<n>).
INSERT INTO impact_assessments (assessment_id, activity, assessed_on, conclusion, next_review, summary, recorded_at)
VALUES ($assessment_id, $activity, $assessed_on, $conclusion, $next_review, $summary, $now)
