-- First-response time. median_hours over answered inquiries; within_sla_share over inquiries that were answered
-- or whose SLA window ($sla_hours after submission) has passed by $now, so fresh ones do not count as late.
WITH scoped AS (
    SELECT epoch(first_response_at) - epoch(submitted_at) AS seconds, submitted_at
    FROM inquiries WHERE day BETWEEN $start AND $end
  AND ($country IS NULL OR country = $country) AND ($region IS NULL OR region = $region)
),
due AS (
    SELECT * FROM scoped WHERE seconds IS NOT NULL OR epoch($now) - epoch(submitted_at) > $sla_hours * 3600
)
SELECT (SELECT median(seconds) / 3600 FROM scoped WHERE seconds IS NOT NULL) AS median_hours,
       (SELECT count(*) FILTER (WHERE seconds <= $sla_hours * 3600) FROM due) AS within_sla,
       (SELECT count(*) FROM due) AS due
