-- Hours from submission to first answer, per answered inquiry (for the distribution chart). Grain: one row
-- per answered inquiry in the range and place.
SELECT support_type, (epoch(first_response_at) - epoch(submitted_at)) / 3600 AS hours
FROM inquiries
WHERE day BETWEEN $start AND $end AND first_response_at IS NOT NULL
  AND ($country IS NULL OR country = $country) AND ($region IS NULL OR region = $region)
