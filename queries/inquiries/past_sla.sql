-- Inquiries not answered within the first-response SLA as of $now: one row per inquiry, oldest first.
-- An inquiry counts when it was submitted more than $sla_hours before $now and had no first response by $now
-- (a response after $now did not exist yet then). Columns: submitted_at (UTC), hours_waiting, country, region,
-- district, support_type. No subject key: the list is for people, who find the inquiry in the CRM by its time.
SELECT submitted_at,
       (epoch($now) - epoch(submitted_at)) / 3600 AS hours_waiting,
       country, region, district, support_type
FROM inquiries
WHERE epoch($now) - epoch(submitted_at) > $sla_hours * 3600
  AND (first_response_at IS NULL OR first_response_at > $now)
  AND (closed_at IS NULL OR closed_at > $now)
ORDER BY submitted_at, region, support_type
