-- Inquiries by support type with their response figures. Grain: one row per support type.
SELECT support_type, count(*) AS inquiries, count(first_response_at) AS responded,
       count(*) FILTER (WHERE status = 'closed') AS closed
FROM inquiries WHERE day BETWEEN $start AND $end
  AND ($country IS NULL OR country = $country) AND ($region IS NULL OR region = $region)
GROUP BY ALL ORDER BY inquiries DESC, support_type
