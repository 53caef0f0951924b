-- The inquiry funnel for a range: web steps from the log aggregates, form steps from inquiries.
-- Optional $country / $region narrow every step to one place (NULL = all).
SELECT
    (SELECT coalesce(sum(visitors), 0) FROM agg_daily
      WHERE day BETWEEN $start AND $end AND ($country IS NULL OR country = $country)
        AND ($region IS NULL OR region = $region)) AS visitors,
    (SELECT coalesce(sum(visitors), 0) FROM agg_contact
      WHERE day BETWEEN $start AND $end AND ($country IS NULL OR country = $country)
        AND ($region IS NULL OR region = $region)) AS contact_page_visitors,
    count(*) AS submissions,
    count(first_response_at) AS responded,
    count(*) FILTER (WHERE status = 'closed') AS closed
FROM inquiries
WHERE day BETWEEN $start AND $end AND ($country IS NULL OR country = $country) AND ($region IS NULL OR region = $region)
